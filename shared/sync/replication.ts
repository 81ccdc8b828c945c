// The RxDB replication of one clinic collection with the sync server: thin fetch handlers for
// pull and push, and the server-sent-events stream as pull.stream$. Written once here for the
// desktop (and tests) to reuse.
import { patientForServer, patientFromServer } from '../domain/schemas/index';
import type { RxCollection, ReplicationPullOptions, ReplicationPushOptions } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { ClinicChangeStream, type FetchLike } from './change-stream';
import {
  REFUSED_COUNT_HEADER,
  REFUSED_HEADER,
  RESYNC_HEADER,
  type RefusedPushRow,
  type SyncCheckpoint,
} from './protocol';

export interface ReplicateClinicCollectionOptions<RxDocType> {
  readonly collection: RxCollection<RxDocType>;
  /** RxDB's name for the collection by default; the server path segment. */
  readonly remoteCollection?: string;
  readonly serverUrl: string;
  /** The current access token (refreshing it when needed is the caller's business). */
  readonly getAccessToken: () => string | Promise<string>;
  readonly fetch?: FetchLike;
  readonly live?: boolean;
  /** Rows per push, and documents per pull unless pullBatchSize says otherwise. */
  readonly batchSize?: number;
  /**
   * Documents per pull: an initial sync is a long chain of pulls per collection, so fewer,
   * larger pages shorten it (the server caps the limit it accepts).
   */
  readonly pullBatchSize?: number;
  readonly retryTime?: number;
  /** Share one change stream between the collections of a workstation. */
  readonly changeStream?: ClinicChangeStream;
  readonly replicationIdentifier?: string;
  /** Rows the server refused in a push: the local log keeps them for the user to review. */
  readonly onRefused?: (rows: readonly RefusedPushRow[], total: number, collection: string) => void;
  readonly autoStart?: boolean;
}

export class SyncHttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'SyncHttpError';
    this.status = status;
  }
}

async function postJson(
  doFetch: FetchLike,
  url: string,
  token: string,
  body: unknown,
): Promise<Response> {
  const response = await doFetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try {
      message = ((await response.json()) as { message?: string }).message ?? message;
    } catch {
      // Not JSON: keep the status.
    }
    throw new SyncHttpError(response.status, message);
  }
  return response;
}

export function parseRefusedHeader(response: Response): { rows: RefusedPushRow[]; total: number } {
  const header = response.headers.get(REFUSED_HEADER);
  if (!header) return { rows: [], total: 0 };
  let rows: RefusedPushRow[];
  try {
    rows = JSON.parse(header) as RefusedPushRow[];
  } catch {
    rows = [];
  }
  const total = Number(response.headers.get(REFUSED_COUNT_HEADER) ?? rows.length);
  return { rows, total: Number.isFinite(total) ? total : rows.length };
}

/**
 * Collections whose documents carry local-only fields (derived search keys, see
 * shared/domain/schemas/index.ts): stripped before a push, derived again on every document that
 * comes from the server — pulled ones and the master states a push answers as conflicts (RxDB
 * runs only pulls through its pull modifier), so the fork and its assumed masters always hold
 * the same form and a push never conflicts with itself over a local field.
 */
const SERVER_FORMS: Readonly<
  Record<
    string,
    { toServer: <T extends object>(doc: T) => T; fromServer: <T extends object>(doc: T) => T }
  >
> = {
  patients: { toServer: patientForServer, fromServer: patientFromServer },
};

export function replicateClinicCollection<RxDocType>(
  options: ReplicateClinicCollectionOptions<RxDocType>,
): RxReplicationState<RxDocType, SyncCheckpoint> {
  const doFetch = options.fetch ?? fetch;
  const name = options.remoteCollection ?? options.collection.name;
  const base = `${options.serverUrl}/v1/sync/${encodeURIComponent(name)}`;
  const forms = Object.hasOwn(SERVER_FORMS, name) ? SERVER_FORMS[name] : undefined;
  const live = options.live ?? true;
  const ownStream =
    live && !options.changeStream
      ? new ClinicChangeStream({
          serverUrl: options.serverUrl,
          getAccessToken: options.getAccessToken,
          fetch: doFetch,
          ...(options.retryTime === undefined ? {} : { retryTimeMs: options.retryTime }),
        })
      : undefined;
  const stream = options.changeStream ?? ownStream;

  const pull: ReplicationPullOptions<RxDocType, SyncCheckpoint> = {
    batchSize: options.pullBatchSize ?? options.batchSize ?? 200,
    async handler(lastCheckpoint, batchSize) {
      const token = await options.getAccessToken();
      let response = await postJson(doFetch, `${base}/pull`, token, {
        checkpoint: lastCheckpoint ?? null,
        limit: batchSize,
      });
      if (response.headers.get(RESYNC_HEADER) && lastCheckpoint) {
        // Deletions after our checkpoint were purged: read everything again from the start.
        response = await postJson(doFetch, `${base}/pull`, token, {
          checkpoint: null,
          limit: batchSize,
        });
      }
      return (await response.json()) as {
        documents: never[];
        checkpoint: SyncCheckpoint;
      };
    },
    ...(stream ? { stream$: stream.streamFor(name) } : {}),
    ...(forms ? { modifier: (doc) => forms.fromServer(doc) } : {}),
  };

  const push: ReplicationPushOptions<RxDocType> = {
    batchSize: options.batchSize ?? 200,
    async handler(rows) {
      const token = await options.getAccessToken();
      const response = await postJson(doFetch, `${base}/push`, token, rows);
      const refused = parseRefusedHeader(response);
      if (refused.total > 0) options.onRefused?.(refused.rows, refused.total, name);
      const conflicts = (await response.json()) as object[];
      return (forms ? conflicts.map((doc) => forms.fromServer(doc)) : conflicts) as never[];
    },
    ...(forms ? { modifier: (doc) => forms.toServer(doc) } : {}),
  };

  const state = replicateRxCollection<RxDocType, SyncCheckpoint>({
    collection: options.collection,
    replicationIdentifier:
      options.replicationIdentifier ?? `topsmile-sync:${options.serverUrl}:${name}`,
    live,
    retryTime: options.retryTime ?? 5000,
    waitForLeadership: false,
    autoStart: options.autoStart ?? true,
    pull,
    push,
  });
  if (ownStream) {
    ownStream.start();
    state.onCancel.push(() => {
      void ownStream.stop();
    });
  }
  return state;
}
