// How many local writes the server has not accepted yet, read from RxDB's own replication
// bookkeeping rather than tracked beside it: the documents the fork changed since the persisted
// upstream checkpoint whose state differs from the assumed master state (the last state the
// server accepted or sent). That is exactly what RxDB will push next, and it survives restarts
// and crashes because it is computed from what is on disk.
import {
  getAssumedMasterState,
  getChangedDocumentsSince,
  getComposedPrimaryKeyOfDocumentData,
  writeDocToDocState,
} from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';

const PAGE = 500;

/** null while the replication has not started (nothing is known yet). */
export async function countPendingChanges(
  replication: RxReplicationState<unknown, unknown>,
): Promise<number | null> {
  const internal = replication.internalReplicationState;
  const meta = replication.metaInstance;
  if (!internal || !meta || replication.isStopped() || !replication.push) return null;
  const checkpointId = getComposedPrimaryKeyOfDocumentData(meta.schema, {
    isCheckpoint: '1',
    itemId: 'up',
  } as never);
  const [checkpointDoc] = await meta.findDocumentsById([checkpointId], false);
  let checkpoint: unknown = (checkpointDoc as { checkpointData?: unknown } | undefined)
    ?.checkpointData;
  const isEqual = internal.input.conflictHandler.isEqual;
  const fork = internal.input.forkInstance;
  let pending = 0;
  for (;;) {
    if (replication.isStopped()) return null;
    const page = await getChangedDocumentsSince(fork, PAGE, checkpoint as never);
    if (page.documents.length === 0) break;
    const ids = page.documents.map(
      (doc) => (doc as unknown as Record<string, string>)[internal.primaryPath]!,
    );
    const assumed = await getAssumedMasterState(internal, ids);
    for (const [index, doc] of page.documents.entries()) {
      const master = assumed[ids[index]!];
      const state = writeDocToDocState(doc, internal.hasAttachments, !!internal.input.keepMeta);
      if (!master || !isEqual(master.docData, state, 'topsmile-pending-count')) pending += 1;
    }
    if (page.documents.length < PAGE) break;
    checkpoint = page.checkpoint;
  }
  return pending;
}
