// A workstation core killed with SIGKILL in the middle of pushing a batch of local edits loses
// nothing: reopened, it finds every edit in its replica and pushes what the server lacks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Patient } from '../../../shared/domain/schemas/index';
import {
  ServerProcess,
  WorkstationProcess,
  makePatient,
  serverDocuments,
  waitFor,
} from './test-support';

const root = mkdtempSync(join(tmpdir(), 'topsmile-sync-kill-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('kill -9 mid-sync: no edit lost, sync resumes after reopening', async () => {
  const server = await ServerProcess.start({ dataDir: join(root, 'server') });
  const dir = join(root, 'station');
  let station = await WorkstationProcess.start(dir, { batchSize: 10 });
  try {
    await station.signIn(server.info, 'front_desk');
    await station.call('startSync');
    const { clinicId, ids } = server.info;
    const existing = Array.from({ length: 50 }, (_, i) =>
      makePatient(clinicId, ids.front_desk, { firstName: `Existing${i}` }),
    );
    await station.call('bulkInsert', { collection: 'patients', docs: existing });
    await station.call('awaitInSync');

    // A batch of local edits: every existing patient changed, many new ones.
    for (const patient of existing.slice(0, 20)) {
      await station.call('patch', {
        collection: 'patients',
        id: patient.id,
        change: { lastName: 'Edited' },
      });
    }
    const fresh = Array.from({ length: 1500 }, (_, i) =>
      makePatient(clinicId, ids.front_desk, { firstName: `New${i}` }),
    );
    let sent = 0;
    station.onEvent((event) => {
      if (event['event'] === 'sent') sent += 1;
    });
    await station.call('watchSent', { collection: 'patients' });
    await station.call('bulkInsert', { collection: 'patients', docs: fresh });
    await waitFor(() => sent > 0, 30_000, 'the first pushed document');
    await station.kill();
    // Killed mid-sync: the workstation had seen only part of its pushes accepted. (The server may
    // still finish requests already in flight: the workstation then re-pushes rows the server
    // holds, which must settle without a conflict entry.)
    expect(sent).toBeLessThan(fresh.length);

    station = await WorkstationProcess.start(dir, { batchSize: 50 });
    expect(await station.call('session')).toMatchObject({ clinicId });
    await station.call('startSync');
    expect(await station.call('count', { collection: 'patients' })).toBe(
      existing.length + fresh.length,
    );
    await station.call('awaitInSync');
    await waitFor(async () => (await station.status()).pendingChanges === 0, 30_000, 'drained');

    const after = await serverDocuments(server.info);
    const local = await station.call<Record<string, Record<string, unknown>[]>>('docs');
    expect(after.patients).toHaveLength(existing.length + fresh.length);
    expect(JSON.stringify(local['patients'])).toBe(JSON.stringify(after.patients));
    expect(await station.call('conflicts')).toEqual([]);
    const edited = after.patients.filter(
      (doc) => (doc as unknown as Patient).lastName === 'Edited',
    );
    expect(edited).toHaveLength(20);
  } finally {
    await station.close();
    await server.stop();
  }
}, 240_000);
