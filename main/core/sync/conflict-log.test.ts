import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, take, toArray } from 'rxjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallContext } from '../service-table';
import { ConflictLog } from './conflict-log';
import { createConflictHandler } from './conflict-handler';
import { SyncController } from './controller';
import { SessionManager } from './session';
import { createSyncTable } from './table';
import { FileTokenVault } from './token-vault';

const root = mkdtempSync(join(tmpdir(), 'topsmile-conflicts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const context: CallContext = {
  user: null,
  clinicId: null,
  deviceId: 'd',
  timeZone: 'UTC',
  now: () => new Date().toISOString(),
};

describe('conflict log', () => {
  it('keeps entries across reopening, once per clash, and closes them on "keep theirs"', async () => {
    const file = join(root, 'log.sqlite');
    const log = new ConflictLog(file);
    const entry = {
      collection: 'patients',
      documentId: 'p1',
      field: 'email',
      localValue: 'mine@example.com',
      serverValue: 'theirs@example.com',
      origin: 'merge' as const,
    };
    expect(log.record(entry)).not.toBeNull();
    expect(log.record(entry)).toBeNull();
    expect(log.record({ ...entry, localValue: 'other@example.com' })).not.toBeNull();
    log.close();

    const reopened = new ConflictLog(file);
    expect(reopened.countOpen()).toBe(2);
    const session = await SessionManager.open({
      userDataDir: join(root, 'session'),
      vault: new FileTokenVault({ file: join(root, 'tokens.enc'), key: Buffer.alloc(32, 1) }),
    });
    const controller = new SyncController({ session, conflicts: reopened });
    const table = createSyncTable({ session, controller, conflicts: reopened });
    const live = firstValueFrom(table['live.conflicts']!({}, context).pipe(take(2), toArray()));
    const [first] = await table['conflicts.list']!({}, context);
    expect(first).toMatchObject({
      field: 'email',
      localValue: 'mine@example.com',
      resolved: false,
    });
    expect(first).not.toHaveProperty('origin');
    await table['conflicts.resolve']!({ conflictId: first!.id, keep: 'theirs' }, context);
    const [before, after] = await live;
    expect(before).toHaveLength(2);
    expect(after).toHaveLength(1);
    expect(await table['conflicts.list']!({ includeResolved: true }, context)).toHaveLength(2);
    await expect(
      table['conflicts.resolve']!({ conflictId: 'missing', keep: 'mine' }, context),
    ).rejects.toMatchObject({ code: 'not_found' });
    await controller.stop();
    reopened.close();
  });

  it('the conflict handler merges, logs the clash once, and gives refused rows to the server', async () => {
    const log = new ConflictLog(join(root, 'handler.sqlite'));
    const refused = new Set<string>();
    const lost: string[] = [];
    const handler = createConflictHandler<Record<string, unknown>>('clinical_notes', {
      log,
      takeRefused: (collection, id) => refused.delete(`${collection}/${id}`),
      onTextLost: (_collection, local) => lost.push(String(local['body'])),
    });
    const base = { id: 'n1', body: 'base', status: 'draft', updatedAt: 'a', _deleted: false };
    const local = { ...base, body: 'mine', providerId: 'p-local' };
    const server = { ...base, body: 'theirs' };
    const input = {
      assumedMasterState: base,
      newDocumentState: local,
      realMasterState: server,
    } as never;
    const merged = await handler.resolve(input, 'test');
    expect(merged).toMatchObject({ body: 'theirs', providerId: 'p-local' });
    expect(log.list().map((row) => [row.field, row.localValue, row.serverValue])).toEqual([
      ['body', 'mine', 'theirs'],
    ]);
    expect(lost).toEqual(['mine']);
    await handler.resolve(input, 'test');
    expect(log.countOpen()).toBe(1);
    expect(lost).toEqual(['mine']);

    refused.add('clinical_notes/n1');
    const signed = { ...base, status: 'signed', body: 'signed text' };
    const answer = await handler.resolve(
      { assumedMasterState: signed, newDocumentState: local, realMasterState: signed } as never,
      'test',
    );
    expect(answer).toBe(signed);
    expect(
      log
        .list()
        .filter((row) => row.origin === 'refused')
        .map((row) => row.field),
    ).toEqual(expect.arrayContaining(['body', 'providerId']));
    log.close();
  });
});
