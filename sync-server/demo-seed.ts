// Puts the demo clinic's documents into a store, as pushes with server sequences. Rows are
// buffered per collection: the demo stream alternates collections day by day, and flushing on
// every switch made most pushes carry one to four documents (about 14 times slower).
import { iterateDemoClinic, type DemoClinicOptions } from '../shared/demo/index';
import type { PushRow, ReplicatedDocument, SyncStore } from './store/types';

const SEED_BATCH = 1000;

export interface SeededDemo {
  readonly documents: number;
  readonly byCollection: Readonly<Record<string, number>>;
}

export async function seedDemoDocuments(
  store: SyncStore,
  options: DemoClinicOptions & { clinicId: string },
): Promise<SeededDemo> {
  const byCollection: Record<string, number> = {};
  const pending = new Map<string, PushRow[]>();
  const flush = async (collection: string): Promise<void> => {
    const rows = pending.get(collection) ?? [];
    if (rows.length === 0) return;
    pending.set(collection, []);
    const result = await store.push(options.clinicId, collection, rows);
    if (result.written !== rows.length) {
      throw new Error(`The demo ${collection} did not go in cleanly.`);
    }
    byCollection[collection] = (byCollection[collection] ?? 0) + result.written;
  };
  for (const record of iterateDemoClinic(options)) {
    const rows = pending.get(record.collection) ?? [];
    pending.set(record.collection, rows);
    rows.push({ newDocumentState: { ...record.document, _deleted: false } as ReplicatedDocument });
    if (rows.length >= SEED_BATCH) await flush(record.collection);
  }
  for (const collection of [...pending.keys()]) await flush(collection);
  const documents = Object.values(byCollection).reduce((sum, count) => sum + count, 0);
  return { documents, byCollection };
}
