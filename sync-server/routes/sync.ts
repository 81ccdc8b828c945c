// RxDB's replication protocol over HTTP, per collection:
//   POST /v1/sync/{collection}/pull  {checkpoint, limit} → {documents, checkpoint}
//   POST /v1/sync/{collection}/push  [{newDocumentState, assumedMasterState}] → [masterState]
//
// Refused rows (invalid document, another clinic's document, a role or immutability rule) keep
// RxDB's contract intact: the body stays the array of conflicts RxDB expects, and
//  - every refused row is listed in the `X-TopSmile-Refused` response header as JSON
//    `[{index, id, message, issues?}]` (ids and rule messages only: no patient data), with the
//    total in `X-TopSmile-Refused-Count` (the header list is capped to stay within header limits);
//  - when the server holds the document, its current state is also returned as a conflict, so
//    the client's conflict handler takes the server state back instead of believing its write
//    landed. A refused new document has no server state; the client learns of it from the
//    header only (shared/sync passes it to `onRefused`).
// The answer is 200 whenever the batch itself was well formed, so one bad row never blocks the
// replication of the rest.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { formatIssues } from '../../shared/domain/validation';
import {
  REFUSED_COUNT_HEADER,
  REFUSED_HEADER,
  RESYNC_HEADER,
  type RefusedPushRow,
} from '../../shared/sync/protocol';
import type { AppContext } from '../app';
import type { ReplicatedCollection } from '../collections';
import { notFound } from '../errors';
import type { PushRow, ReplicatedDocument } from '../store/types';
import { writeGuardFor } from '../write-rules';
import { errorReplies } from './auth';

export const MAX_PUSH_ROWS = 1000;
export const MAX_PULL_LIMIT = 5000;
const REFUSED_HEADER_BUDGET = 6000;

const AnyDocument = Type.Unsafe<ReplicatedDocument>({ type: 'object', additionalProperties: true });
const Params = Type.Object({ collection: Type.String({ minLength: 1, maxLength: 64 }) });
type Params = Type.Static<typeof Params>;

const PullBody = Type.Object({
  checkpoint: Type.Union([Type.Object({ seq: Type.Integer({ minimum: 0 }) }), Type.Null()]),
  limit: Type.Integer({ minimum: 1, maximum: MAX_PULL_LIMIT }),
});
type PullBody = Type.Static<typeof PullBody>;

const PushBody = Type.Array(
  Type.Object({
    newDocumentState: AnyDocument,
    assumedMasterState: Type.Optional(Type.Union([AnyDocument, Type.Null()])),
  }),
  { maxItems: MAX_PUSH_ROWS },
);
type PushBody = Type.Static<typeof PushBody>;

export type RefusedRowReport = RefusedPushRow;

function lookup(
  collections: ReadonlyMap<string, ReplicatedCollection>,
  name: string,
): ReplicatedCollection {
  const collection = collections.get(name);
  if (!collection) {
    throw notFound(
      `There is no collection "${name.slice(0, 64)}". Known: ${[...collections.keys()].join(', ')}.`,
    );
  }
  return collection;
}

/** Refusals that need no stored state: shape, tenancy, schema, server-managed collections. */
function precheck(
  collection: ReplicatedCollection,
  clinicId: string,
  doc: ReplicatedDocument,
): Omit<RefusedRowReport, 'index' | 'id'> | undefined {
  if (collection.serverManaged) {
    return {
      message: `The ${collection.name} list is managed by the server; change it with the admin tools.`,
    };
  }
  if (collection.clinicScoped && doc['clinicId'] !== clinicId) {
    return { message: 'This record belongs to another clinic than the signed-in one.' };
  }
  const issues = collection.validate(doc);
  if (issues.length > 0) return { message: formatIssues(issues), issues };
  return undefined;
}

function refusedHeader(refused: readonly RefusedRowReport[]): string {
  const listed: RefusedRowReport[] = [];
  let size = 2;
  for (const row of refused) {
    const text = JSON.stringify(row);
    if (size + text.length + 1 > REFUSED_HEADER_BUDGET) break;
    listed.push(row);
    size += text.length + 1;
  }
  // Header values must be Latin-1: escape everything else.
  return JSON.stringify(listed).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function registerSyncRoutes(
  app: FastifyInstance,
  context: AppContext,
  collections: ReadonlyMap<string, ReplicatedCollection>,
): void {
  const { store, auth, metrics } = context;
  const security = [{ bearer: [] }];

  app.post<{ Params: Params; Body: PullBody }>(
    '/v1/sync/:collection/pull',
    {
      schema: {
        tags: ['sync'],
        summary: 'Changes after a checkpoint, oldest first',
        security,
        params: Params,
        body: PullBody,
        response: {
          200: Type.Object({
            documents: Type.Array(AnyDocument),
            checkpoint: Type.Object({ seq: Type.Integer() }),
          }),
          ...errorReplies,
          404: errorReplies[400],
        },
      },
    },
    async (request, reply) => {
      const principal = await auth.authenticate(request.headers.authorization);
      const collection = lookup(collections, request.params.collection);
      const { checkpoint, limit } = request.body;
      const seq = checkpoint?.seq ?? 0;
      const floor = await store.historyFloor(principal.clinicId);
      if (seq > 0 && seq < floor) {
        // Deletions older than the checkpoint were purged: the client must start over.
        reply.header(RESYNC_HEADER, 'history');
      }
      const result = await store.pull(principal.clinicId, collection.name, checkpoint, limit);
      metrics.pulledDocuments.inc({ collection: collection.name }, result.documents.length);
      // A short page holds every change of the collection up to the clinic's committed sequence,
      // which is at or above the floor: lift the checkpoint to the floor, or a collection that has
      // not changed since the purge would keep a checkpoint below it and RESYNC on every pull.
      if (result.documents.length < limit && result.checkpoint.seq < floor) {
        return { documents: result.documents, checkpoint: { seq: floor } };
      }
      return result;
    },
  );

  app.post<{ Params: Params; Body: PushBody }>(
    '/v1/sync/:collection/push',
    {
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: ['sync'],
        summary: 'Write rows; answers the master states of the rows that conflicted',
        description:
          'Refused rows are listed in the X-TopSmile-Refused header (JSON) and, when the server ' +
          'holds the document, answered with its master state like a conflict.',
        security,
        params: Params,
        body: PushBody,
        response: { 200: Type.Array(AnyDocument), ...errorReplies, 404: errorReplies[400] },
      },
    },
    async (request, reply) => {
      const principal = await auth.authenticate(request.headers.authorization);
      const collection = lookup(collections, request.params.collection);
      const refused: RefusedRowReport[] = [];
      const accepted: PushRow[] = [];
      const acceptedIndex: number[] = [];
      request.body.forEach((row, index) => {
        const doc = row.newDocumentState;
        const id = doc[collection.primaryKey];
        if (typeof id !== 'string' || id.length === 0) {
          refused.push({
            index,
            id: '',
            message: `The record has no "${collection.primaryKey}" text field.`,
          });
          return;
        }
        const refusal = precheck(collection, principal.clinicId, doc);
        if (refusal) {
          refused.push({ index, id, ...refusal });
          return;
        }
        accepted.push({
          newDocumentState: doc,
          assumedMasterState: row.assumedMasterState ?? undefined,
        });
        acceptedIndex.push(index);
      });

      const result =
        accepted.length > 0
          ? await store.push(
              principal.clinicId,
              collection.name,
              accepted,
              writeGuardFor(principal, collection.name),
            )
          : undefined;
      for (const row of result?.refused ?? []) {
        refused.push({ ...row, index: acceptedIndex[row.index] ?? row.index });
      }
      refused.sort((a, b) => a.index - b.index);

      const conflicts: ReplicatedDocument[] = [...(result?.conflicts ?? [])];
      const answered = new Set(conflicts.map((doc) => doc[collection.primaryKey]));
      const refusedIds = [...new Set(refused.map((row) => row.id))].filter(
        (id) => id !== '' && !answered.has(id),
      );
      if (refusedIds.length > 0) {
        conflicts.push(
          ...(await store.getDocuments(principal.clinicId, collection.name, refusedIds)),
        );
      }

      if (result && result.written > 0) {
        context.changes.publish({
          clinicId: principal.clinicId,
          collection: collection.name,
          seq: result.seq,
        });
        metrics.pushedDocuments.inc({ collection: collection.name }, result.written);
      }
      if (result && result.conflicts.length > 0) {
        metrics.conflicts.inc({ collection: collection.name }, result.conflicts.length);
      }
      if (refused.length > 0) {
        metrics.refusedRows.inc({ collection: collection.name }, refused.length);
        reply.header(REFUSED_HEADER, refusedHeader(refused));
        reply.header(REFUSED_COUNT_HEADER, String(refused.length));
        request.log.info(
          { collection: collection.name, refused: refused.map(({ index, id }) => ({ index, id })) },
          'push rows refused',
        );
      }
      return conflicts;
    },
  );
}
