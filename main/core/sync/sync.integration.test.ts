// Two workstations (each a core in its own process, with its own folder and SQLite replica)
// against the real sync server over HTTP: offline edits on both sides while the server is down,
// the server back on the same port with its data, convergence, conflict logs on both sides,
// double bookings flagged, backoff growth, and clock skew reported.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../../shared/api/views';
import { newId } from '../../../shared/domain/ids';
import type { ClinicalNote } from '../../../shared/domain/schemas/index';
import type { LoggedConflict } from './conflict-log';
import {
  ServerProcess,
  WorkstationProcess,
  makeAppointment,
  makePatient,
  serverDocuments,
  waitFor,
} from './test-support';

const root = mkdtempSync(join(tmpdir(), 'topsmile-sync-it-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const PROVIDER = newId();
const CHAIR_1 = newId();
const CHAIR_2 = newId();

type Docs = Record<string, Record<string, unknown>[]>;

async function converged(
  a: WorkstationProcess,
  b: WorkstationProcess,
  server: ServerProcess,
): Promise<boolean> {
  await Promise.all([a.call('awaitInSync'), b.call('awaitInSync')]);
  const [onA, onB, onServer] = await Promise.all([
    a.call<Docs>('docs'),
    b.call<Docs>('docs'),
    serverDocuments(server.info),
  ]);
  return (
    JSON.stringify(onA) === JSON.stringify(onServer) &&
    JSON.stringify(onB) === JSON.stringify(onServer)
  );
}

const conflictsOf = (station: WorkstationProcess): Promise<LoggedConflict[]> =>
  station.call<LoggedConflict[]>('conflicts');

describe('two workstations and a server that goes away', () => {
  it('converge after offline edits; every same-field clash is in both conflict logs', async () => {
    const dataDir = join(root, 'server');
    let server = await ServerProcess.start({ dataDir });
    // A runs the production backoff (1 s .. 60 s); B a short one, so it recovers on its own fast.
    const [a, b] = await Promise.all([
      WorkstationProcess.start(join(root, 'a'), { backoffBaseMs: 1000, backoffCapMs: 60_000 }),
      WorkstationProcess.start(join(root, 'b')),
    ]);
    try {
      await a.signIn(server.info, 'admin');
      await b.signIn(server.info, 'dentist');
      const clinicId = server.info.clinicId;
      const adminId = server.info.ids.admin;
      await a.call('startSync');
      const p1 = makePatient(clinicId, adminId, { firstName: 'Carla', lastName: 'Dias' });
      const p2 = makePatient(clinicId, adminId, { firstName: 'Bia', lastName: 'Reis' });
      const p3 = makePatient(clinicId, adminId, { firstName: 'Davi', lastName: 'Melo' });
      await a.call('bulkInsert', { collection: 'patients', docs: [p1, p2, p3] });
      const note: ClinicalNote = {
        id: newId(),
        clinicId,
        updatedAt: new Date().toISOString(),
        updatedBy: adminId,
        patientId: p1.id,
        providerId: PROVIDER,
        body: 'Initial findings.',
        status: 'draft',
        createdAt: new Date().toISOString(),
      };
      await a.call('insert', { collection: 'clinical_notes', doc: note });
      const visitY = makeAppointment(clinicId, adminId, {
        patientId: p2.id,
        providerId: PROVIDER,
        operatoryId: CHAIR_1,
        start: '2030-01-07T13:00:00.000Z',
        end: '2030-01-07T13:30:00.000Z',
      });
      await a.call('insert', { collection: 'appointments', doc: visitY });
      await a.call('awaitInSync');
      await b.call('startSync');
      await b.call('awaitInSync');
      expect(await b.call('count', { collection: 'patients' })).toBe(3);
      expect((await a.status()).lastSyncedAt).not.toBeNull();

      // --- The server goes away; both keep working. -------------------------------------------
      const port = server.info.port;
      await server.stop();

      const patch = (
        station: WorkstationProcess,
        collection: string,
        id: string,
        change: Record<string, unknown>,
      ) => station.call('patch', { collection, id, change });
      await patch(a, 'patients', p1.id, {
        phones: [{ kind: 'mobile', number: '+55 11 91111-1111' }],
        email: 'carla.a@example.com',
      });
      await patch(a, 'patients', p2.id, { firstName: 'Bruna' });
      await patch(a, 'clinical_notes', note.id, { body: 'Text written at workstation A.' });

      await patch(b, 'patients', p1.id, {
        phones: [{ kind: 'mobile', number: '+55 11 92222-2222' }],
        lastName: 'Lima',
      });
      await patch(b, 'patients', p3.id, { status: 'inactive' });
      await patch(b, 'clinical_notes', note.id, { body: 'Text written at workstation B.' });
      const visitX = makeAppointment(clinicId, server.info.ids.dentist, {
        patientId: p3.id,
        providerId: PROVIDER,
        operatoryId: CHAIR_2,
        start: '2030-01-07T13:15:00.000Z',
        end: '2030-01-07T13:45:00.000Z',
      });
      await b.call('insert', { collection: 'appointments', doc: visitX });

      // Offline edits are counted as pending, never dropped.
      await waitFor(async () => (await a.status()).pendingChanges === 3, 20_000, 'A counts 3');
      await waitFor(async () => (await b.status()).pendingChanges === 4, 20_000, 'B counts 4');

      // Backoff grows while the server is down: each closed round announces a longer wait.
      const retriesOf = async (): Promise<number[]> => {
        const history = await a.call<SyncStatus[]>('statusHistory');
        const seconds: number[] = [];
        let previous: number | null = null;
        for (const status of history) {
          if (status.connection === 'offline' && status.nextRetryInSeconds !== previous) {
            if (status.nextRetryInSeconds !== null) seconds.push(status.nextRetryInSeconds);
          }
          previous = status.nextRetryInSeconds;
        }
        return seconds;
      };
      await waitFor(
        async () => (await retriesOf()).some((seconds) => seconds >= 4),
        40_000,
        'backoff reaching 4 s',
      );
      const retries = await retriesOf();
      const offline = await a.status();
      expect(offline.connection).toBe('offline');
      expect(offline.lastError).toMatch(/cannot be reached/);
      expect(retries[0]).toBeLessThanOrEqual(1);
      for (let i = 1; i < retries.length; i += 1) {
        expect(retries[i]!).toBeGreaterThanOrEqual(retries[i - 1]!);
      }
      expect(Math.max(...retries)).toBeLessThanOrEqual(60);

      // --- The server comes back on the same port with its data. -----------------------------
      server = await ServerProcess.start({ dataDir, port });
      await waitFor(async () => (await b.status()).connection === 'online', 30_000, 'B online');
      // A waits out a long backoff step: the user presses "sync now".
      await a.call('syncNow');
      await waitFor(() => converged(a, b, server), 90_000, 'convergence');
      await waitFor(
        async () =>
          (await a.status()).pendingChanges === 0 && (await b.status()).pendingChanges === 0,
        10_000,
        'nothing pending',
      );

      const onServer = await serverDocuments(server.info);
      const serverP1 = onServer.patients.find((doc) => doc['id'] === p1.id)!;
      // Fields changed on one side only keep that side's value.
      expect(serverP1['email']).toBe('carla.a@example.com');
      expect(serverP1['lastName']).toBe('Lima');
      expect(serverP1['nameKey']).toBe('lima carla');
      expect(onServer.patients.find((doc) => doc['id'] === p2.id)!['firstName']).toBe('Bruna');
      expect(onServer.patients.find((doc) => doc['id'] === p3.id)!['status']).toBe('inactive');

      // The same field on both sides: the server's value stands, and both logs hold the clash.
      const phoneA = '+55 11 91111-1111';
      const phoneB = '+55 11 92222-2222';
      const winningPhone = (serverP1['phones'] as { number: string }[])[0]!.number;
      expect([phoneA, phoneB]).toContain(winningPhone);
      const serverNote = onServer.clinical_notes.find((doc) => doc['id'] === note.id)!;
      const losingBody =
        serverNote['body'] === 'Text written at workstation A.'
          ? 'Text written at workstation B.'
          : 'Text written at workstation A.';

      await waitFor(
        async () => {
          for (const station of [a, b]) {
            const entries = await conflictsOf(station);
            for (const field of ['phones', 'body']) {
              if (!entries.some((entry) => entry.field === field)) return false;
            }
          }
          return true;
        },
        20_000,
        'clashes in both logs',
      );
      for (const [station, phone] of [
        [a, phoneA],
        [b, phoneB],
      ] as const) {
        const entries = await conflictsOf(station);
        const phones = entries.filter((entry) => entry.documentId === p1.id);
        expect(phones.map((entry) => entry.field)).toEqual(['phones']);
        const entry = phones[0]!;
        expect((entry.localValue as { number: string }[])[0]!.number).toBe(phone);
        expect((entry.serverValue as { number: string }[])[0]!.number).toBe(winningPhone);
        expect(entry.origin).toBe(phone === winningPhone ? 'remote' : 'merge');
        expect(entries.filter((row) => row.documentId === note.id).map((row) => row.field)).toEqual(
          ['body'],
        );
        expect((await station.status()).openConflicts).toBe(entries.length);
      }
      // The losing note text is kept as a visible draft copy, replicated everywhere.
      const copies = onServer.clinical_notes.filter(
        (doc) => doc['id'] !== note.id && doc['body'] === losingBody,
      );
      expect(copies).toHaveLength(1);
      expect(copies[0]!['status']).toBe('draft');
      expect(copies[0]!['patientId']).toBe(p1.id);

      // The double booking made offline is flagged on both appointments, everywhere.
      for (const id of [visitX.id, visitY.id]) {
        expect(onServer.appointments.find((doc) => doc['id'] === id)!['flags']).toEqual([
          'double_booked',
        ]);
      }

      // "Keep mine" on the losing side writes its value as a new revision that syncs.
      const [loser, loserPhone] = winningPhone === phoneA ? [b, phoneB] : [a, phoneA];
      const loserEntry = (await conflictsOf(loser)).find(
        (entry) => entry.documentId === p1.id && entry.field === 'phones',
      )!;
      await loser.call('resolve', { conflictId: loserEntry.id, keep: 'mine' });
      await waitFor(() => converged(a, b, server), 60_000, 'convergence after keep mine');
      const afterKeep = (await serverDocuments(server.info)).patients.find(
        (doc) => doc['id'] === p1.id,
      )!;
      expect((afterKeep['phones'] as { number: string }[])[0]!.number).toBe(loserPhone);
      expect(afterKeep['phoneKey']).toBe(loserPhone.replace(/\D/g, ''));
      const resolved = await loser.call<LoggedConflict[]>('conflicts', { includeResolved: true });
      expect(resolved.find((entry) => entry.id === loserEntry.id)!.resolved).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await server.stop();
    }
  }, 300_000);

  it('reports a skewed server clock without obeying it', async () => {
    const server = await ServerProcess.start({
      dataDir: join(root, 'skewed'),
      clockOffsetMs: 5 * 60_000,
    });
    const station = await WorkstationProcess.start(join(root, 'skew-station'));
    try {
      await station.signIn(server.info, 'front_desk');
      await station.call('startSync');
      await waitFor(async () => (await station.status()).clockSkewMs !== null, 30_000, 'skew');
      const status = await station.status();
      expect(status.clockSkewMs!).toBeGreaterThan(4 * 60_000);
      expect(status.clockSkewMs!).toBeLessThan(6 * 60_000);
      expect(status.connection).toBe('online');
    } finally {
      await station.close();
      await server.stop();
    }
  }, 120_000);
});
