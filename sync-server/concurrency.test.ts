// Many pushers and pullers at once over real HTTP against one server on the SQLite store: every
// puller, paging with small limits while the pushes happen, must end with exactly the store's
// content (no change skipped), see strictly increasing checkpoints, and the clinic sequence must
// count exactly the writes the pushers were told were accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../shared/domain/ids';
import type { CollectionName } from '../shared/domain/schemas/index';
import { sampleDocument } from '../shared/domain/schemas/samples';
import { REFUSED_HEADER } from '../shared/sync/protocol';
import type { ReplicatedDocument } from './store/types';
import {
  createTestClinic,
  loginAs,
  postJson,
  startTestServer,
  type TestClinic,
  type TestServer,
} from './test-support/harness';

const PUSHERS = 6;
const PUSHES_PER_PUSHER = 40;
const PULLERS = 3;
/** Shared id pools: every pusher writes the same documents, so pushes conflict. */
const POOLS: Readonly<Record<'patients' | 'operatories', number>> = {
  patients: 40,
  operatories: 8,
};
type PooledCollection = keyof typeof POOLS;
const COLLECTIONS = Object.keys(POOLS) as PooledCollection[];

let server: TestServer;
let clinic: TestClinic;

beforeAll(async () => {
  server = await startTestServer({ authRateLimit: { max: 1000, timeWindowMs: 60_000 } });
  clinic = await createTestClinic(server.store, 'Concurrency');
});
afterAll(() => server.close());

/** A small deterministic generator, so a failing run can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function documentVersion(
  collection: CollectionName,
  id: string,
  writer: number,
  version: number,
  deleted: boolean,
): ReplicatedDocument {
  return {
    ...sampleDocument(collection),
    id,
    clinicId: clinic.clinic.id,
    // Unique per write, so any two versions of a document differ.
    updatedAt: new Date(Date.UTC(2025, 0, 1) + writer * 1_000_000 + version).toISOString(),
    _deleted: deleted,
  } as ReplicatedDocument;
}

const byId = (docs: readonly ReplicatedDocument[]): Map<string, ReplicatedDocument> =>
  new Map(docs.map((doc) => [doc['id'] as string, doc]));

interface PusherOutcome {
  accepted: number;
  conflicts: number;
}

async function runPusher(
  writer: number,
  token: string,
  ids: Readonly<Record<PooledCollection, readonly string[]>>,
): Promise<PusherOutcome> {
  const random = seededRandom(writer + 1);
  // What this pusher last saw of each document: its own accepted write or a conflict answer.
  const known = new Map<string, ReplicatedDocument>();
  const outcome: PusherOutcome = { accepted: 0, conflicts: 0 };
  let version = 0;
  for (let push = 0; push < PUSHES_PER_PUSHER; push += 1) {
    const collection: PooledCollection = random() < 0.8 ? 'patients' : 'operatories';
    const pool = ids[collection];
    const batchSize = 1 + Math.floor(random() * 4);
    const chosen = new Set<string>();
    while (chosen.size < Math.min(batchSize, pool.length)) {
      chosen.add(pool[Math.floor(random() * pool.length)] as string);
    }
    const rows = [...chosen].map((id) => {
      version += 1;
      const assumed = known.get(id);
      return {
        newDocumentState: documentVersion(collection, id, writer, version, random() < 0.1),
        ...(assumed ? { assumedMasterState: assumed } : {}),
      };
    });
    const response = await postJson(`${server.url}/v1/sync/${collection}/push`, rows, token);
    expect(response.status).toBe(200);
    expect(response.headers.get(REFUSED_HEADER)).toBeNull();
    const conflicts = byId((await response.json()) as ReplicatedDocument[]);
    for (const row of rows) {
      const id = row.newDocumentState['id'] as string;
      const master = conflicts.get(id);
      if (master) {
        expect(master).not.toEqual(row.assumedMasterState);
        known.set(id, master);
        outcome.conflicts += 1;
      } else {
        known.set(id, row.newDocumentState);
        outcome.accepted += 1;
      }
    }
  }
  return outcome;
}

interface PullerState {
  documents: Record<PooledCollection, Map<string, ReplicatedDocument>>;
  checkpoints: Record<PooledCollection, number[]>;
  /** Pages with documents that were asked for before the last push was answered. */
  pagesDuringPushes: number;
}

async function pullPage(
  token: string,
  collection: PooledCollection,
  seq: number,
  limit: number,
): Promise<{ documents: ReplicatedDocument[]; checkpoint: { seq: number } }> {
  const response = await postJson(
    `${server.url}/v1/sync/${collection}/pull`,
    { checkpoint: seq === 0 ? null : { seq }, limit },
    token,
  );
  expect(response.status).toBe(200);
  return (await response.json()) as {
    documents: ReplicatedDocument[];
    checkpoint: { seq: number };
  };
}

async function runPuller(
  token: string,
  limit: number,
  pushersDone: () => boolean,
): Promise<PullerState> {
  const state: PullerState = {
    documents: { patients: new Map(), operatories: new Map() },
    checkpoints: { patients: [], operatories: [] },
    pagesDuringPushes: 0,
  };
  const seqOf = (collection: PooledCollection): number => state.checkpoints[collection].at(-1) ?? 0;
  for (;;) {
    // Only a round that started after the last push was answered proves the puller drained.
    const startedAfterPushes = pushersDone();
    let sawAny = false;
    for (const collection of COLLECTIONS) {
      const before = seqOf(collection);
      const askedDuringPushes = !pushersDone();
      const page = await pullPage(token, collection, before, limit);
      expect(page.documents.length).toBeLessThanOrEqual(limit);
      if (page.documents.length === 0) {
        expect(page.checkpoint.seq).toBe(before);
        continue;
      }
      sawAny = true;
      if (askedDuringPushes) state.pagesDuringPushes += 1;
      state.checkpoints[collection].push(page.checkpoint.seq);
      for (const doc of page.documents) state.documents[collection].set(doc['id'] as string, doc);
    }
    if (!sawAny) {
      if (startedAfterPushes) return state;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

describe('concurrent pushers and pullers over HTTP', () => {
  it('every puller ends with exactly the store content, and the sequence counts every write', async () => {
    const ids = {
      patients: Array.from({ length: POOLS.patients }, () => newId()),
      operatories: Array.from({ length: POOLS.operatories }, () => newId()),
    };
    const pusherTokens: string[] = [];
    for (let index = 0; index < PUSHERS; index += 1) {
      pusherTokens.push((await loginAs(server, clinic, 'admin', `pusher ${index}`)).accessToken);
    }
    const pullerTokens: string[] = [];
    for (let index = 0; index < PULLERS; index += 1) {
      pullerTokens.push((await loginAs(server, clinic, 'dentist', `puller ${index}`)).accessToken);
    }
    const seqBefore = await server.store.currentSeq(clinic.clinic.id);

    let finished = false;
    const pullers = pullerTokens.map((token, index) =>
      runPuller(token, 3 + index * 2, () => finished),
    );
    const outcomes = await Promise.all(
      pusherTokens.map((token, writer) => runPusher(writer, token, ids)),
    );
    finished = true;
    const pulled = await Promise.all(pullers);

    const accepted = outcomes.reduce((sum, outcome) => sum + outcome.accepted, 0);
    const conflicts = outcomes.reduce((sum, outcome) => sum + outcome.conflicts, 0);
    // The overlap must really have produced both outcomes, or the test proves little.
    expect(accepted).toBeGreaterThan(100);
    expect(conflicts).toBeGreaterThan(20);
    expect((await server.store.currentSeq(clinic.clinic.id)) - seqBefore).toBe(accepted);

    for (const collection of COLLECTIONS) {
      const stored = byId(
        await server.store.getDocuments(clinic.clinic.id, collection, ids[collection]),
      );
      expect(stored.size).toBe(POOLS[collection]);
      const fullPull = await pullPage(pullerTokens[0] as string, collection, 0, 1000);
      expect(byId(fullPull.documents)).toEqual(stored);
      for (const state of pulled) {
        expect(state.documents[collection]).toEqual(stored);
        const seqs = state.checkpoints[collection];
        seqs.forEach((seq, index) => {
          if (index > 0) expect(seq).toBeGreaterThan(seqs[index - 1] as number);
        });
        expect(seqs.at(-1)).toBe(fullPull.checkpoint.seq);
      }
    }
    // The pullers really paged while the pushes happened, not only once at the end.
    for (const state of pulled) expect(state.pagesDuringPushes).toBeGreaterThan(10);
  }, 20_000);
});
