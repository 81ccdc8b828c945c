// Local-only fields (the first-name search key of patients) never reach the server, are derived
// again on every workstation that pulls, follow a rename made elsewhere, and never make a push
// conflict with itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ServerProcess, WorkstationProcess, makePatient, serverDocuments } from './test-support';

const root = mkdtempSync(join(tmpdir(), 'topsmile-local-fields-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('local-only patient fields', () => {
  it('stay off the server, are derived on pull, and follow renames without conflicts', async () => {
    const server = await ServerProcess.start({ dataDir: join(root, 'server') });
    const [a, b] = await Promise.all([
      WorkstationProcess.start(join(root, 'a')),
      WorkstationProcess.start(join(root, 'b')),
    ]);
    try {
      await a.signIn(server.info, 'admin');
      await b.signIn(server.info, 'front_desk');
      await Promise.all([a.call('startSync'), b.call('startSync')]);
      const patient = makePatient(server.info.clinicId, server.info.ids.admin, {
        firstName: 'Josefa',
        lastName: 'Quaresma',
      });
      expect(patient).toHaveProperty('givenNameKey', 'josefa quaresma');
      await a.call('insert', { collection: 'patients', doc: patient });
      await a.call('awaitInSync');

      const onServer = (await serverDocuments(server.info))['patients']!.find(
        (doc) => doc['id'] === patient.id,
      );
      expect(onServer).toBeDefined();
      expect(onServer).not.toHaveProperty('givenNameKey');

      await b.call('syncNow');
      await b.call('awaitInSync');
      const pulled = await b.call<Record<string, unknown>>('get', {
        collection: 'patients',
        id: patient.id,
      });
      expect(pulled).toMatchObject({ firstName: 'Josefa', givenNameKey: 'josefa quaresma' });

      await b.call('patch', {
        collection: 'patients',
        id: patient.id,
        change: { firstName: 'Josefina' },
      });
      await b.call('awaitInSync');
      await a.call('syncNow');
      await a.call('awaitInSync');
      const renamed = await a.call<Record<string, unknown>>('get', {
        collection: 'patients',
        id: patient.id,
      });
      expect(renamed).toMatchObject({ firstName: 'Josefina', givenNameKey: 'josefina quaresma' });

      // A edits again on top of the pulled state: its assumed master matches the server's.
      await a.call('patch', {
        collection: 'patients',
        id: patient.id,
        change: { preferredName: 'Jo' },
      });
      await a.call('awaitInSync');
      expect(await a.call('conflicts')).toEqual([]);
      expect(await b.call('conflicts')).toEqual([]);
      const final = (await serverDocuments(server.info))['patients']!.find(
        (doc) => doc['id'] === patient.id,
      );
      expect(final).toMatchObject({ firstName: 'Josefina', preferredName: 'Jo' });
      expect(final).not.toHaveProperty('givenNameKey');
      expect((await a.status()).pendingChanges).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await server.stop();
    }
  }, 120_000);
});
