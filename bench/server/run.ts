// Sync server benchmark, on loopback, bounded: the server runs in a child process on the SQLite
// store, then on the MongoDB store (FerretDB started here), and the same cases run against each:
//   - push throughput: concurrent clients pushing batches of new patients (docs/s)
//   - pull throughput: one client paging through them all with limit 500 (docs/s)
//   - push-to-visible: client A pushes one patient, client B (RxDB, live replication woken by the
//     change stream) sees it in its local collection (median, p95)
//   - initial sync: the demo clinic (50,000 patients, all collections) into an empty RxDB
//     database on our SQLite storage, end to end
//   - server memory (VmRSS of the child) with 200 open change streams, on the fresh server and
//     again after all the cases above
// Prints a table with the targets and writes .bench-results/server.json. Not part of `npm test`.
//   npm run bench:server
//   BENCH_SCALE=0.2                 scale every count (default 1)
//   BENCH_MONGO_SYNC_PATIENTS=N     demo clinic size for the MongoDB initial sync (default 1,000:
//                                   FerretDB cannot take 50,000 in the time budget, see SIZES)
//   BENCH_SERVER_LOG_LEVEL=info     the server's log level (default info, as in production)
//   BENCH_STORES=sqlite,mongodb     which stores to measure (default both)
//   BENCH_SYNC_BATCH=1000           the initial sync's pull batch size (default 1000)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEnv, storeConfigFromEnv } from '../../sync-server/env';
import { openStore } from '../../sync-server/store/index';
import type { SyncStore } from '../../sync-server/store/types';
import { startTestMongo, type TestMongo } from '../../sync-server/test-support/ferretdb';
import { newId } from '../../shared/domain/ids';
import {
  initialSync,
  pullThroughput,
  pushThroughput,
  pushToVisible,
  streamsMemory,
  type InitialSyncResult,
  type LatencyResult,
  type StreamsMemoryResult,
  type ThroughputResult,
} from './cases';
import { printMarkdownTable } from '../table';
import {
  createBenchClinic,
  demoClinicOptions,
  FULL_CLINIC_PATIENTS,
  login,
  seedDemoClinic,
  type SeededClinic,
} from './fixtures';
import { startServerProcess } from './server-process';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
if (!(SCALE > 0)) throw new Error('BENCH_SCALE must be a positive number');
const scaled = (count: number, min = 1): number => Math.max(min, Math.round(count * SCALE));

const SIZES = {
  pushDocuments: scaled(40_000, 1000),
  pushBatch: 100,
  pushClients: 4,
  pullLimit: 500,
  latencySamples: scaled(100, 10),
  streams: scaled(200, 10),
  syncPatients: scaled(FULL_CLINIC_PATIENTS, 100),
  // FerretDB 1.x (SQLite backend) answers `$in` lookups and seq-ordered pages by scanning the whole
  // collection (measured: a 1,000-id lookup grows ~200 ms per 1,000 stored documents), so every
  // push and pull slows down with the data held; the 50,000-patient clinic (~110k documents) would
  // take far longer than the run's budget just to seed. Its initial sync uses a smaller clinic.
  mongoSyncPatients: Number(process.env['BENCH_MONGO_SYNC_PATIENTS'] ?? scaled(1000, 100)),
  syncBatch: Number(process.env['BENCH_SYNC_BATCH'] ?? '1000'),
};
/** Time budgets: a slow store shortens a case (and says so) instead of stalling the run. */
const BUDGET_MS = { push: 15_000, pull: 20_000, latency: 30_000, initialSync: 90_000 };
const TARGETS = {
  pushDocsPerSecond: 5000,
  initialSyncMs: 15_000,
  latencyP95Ms: 300,
  rssWithStreamsBytes: 300 * 1024 * 1024,
};
const SERVER_LOG_LEVEL = process.env['BENCH_SERVER_LOG_LEVEL'] ?? 'info';
const JWT_SECRET = `bench-${newId()}-`.padEnd(96, 'x');

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface StoreResults {
  readonly store: string;
  readonly rssAtStartBytes: number;
  readonly peakRssBytes: number;
  readonly push: ThroughputResult;
  readonly pull: ThroughputResult;
  readonly latency: LatencyResult;
  readonly seeded: SeededClinic & { readonly patients: number; readonly days: number };
  readonly initialSync: InitialSyncResult;
  /** Streams opened right after start, then again after every other case. */
  readonly streamsFresh: StreamsMemoryResult;
  readonly streamsAfterWork: StreamsMemoryResult;
}

async function withStore<T>(
  env: Record<string, string>,
  work: (store: SyncStore) => Promise<T>,
): Promise<T> {
  // The same store the server (and the admin CLI) opens from this environment.
  const store = await openStore(storeConfigFromEnv(loadEnv(env, () => undefined)));
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

async function runStore(
  label: string,
  extraEnv: Record<string, string>,
  syncPatients: number,
): Promise<StoreResults> {
  const workDir = mkdtempSync(join(tmpdir(), 'topsmile-bench-server-'));
  const env = {
    NODE_ENV: 'production',
    LOG_LEVEL: SERVER_LOG_LEVEL,
    DATA_DIR: join(workDir, 'server'),
    JWT_SECRET,
    ...extraEnv,
  };
  mkdirSync(env.DATA_DIR, { recursive: true });
  const demoClinicId = newId();
  const clinics = await withStore(env, async (store) => ({
    bench: await createBenchClinic(store, 'Bench clinic'),
    latency: await createBenchClinic(store, 'Latency clinic'),
    demo: await createBenchClinic(store, 'Demo clinic', demoClinicId),
  }));

  console.log(`\n# ${label}: server in a child process`);
  const server = await startServerProcess(env);
  try {
    const rssAtStartBytes = server.rssBytes();
    const benchToken = await login(server.url, clinics.bench, 'admin', 'bench pusher');
    const openStreams = async (when: string) => {
      const result = await streamsMemory({
        serverUrl: server.url,
        token: benchToken,
        clinicId: clinics.bench.clinicId,
        streams: SIZES.streams,
        rssBytes: server.rssBytes,
      });
      console.log(
        `  ${result.streams} streams ${when}: RSS ${fmtMb(result.rssBeforeBytes)} → ` +
          `${fmtMb(result.rssWithStreamsBytes)}; one push reached them all in ${fmtMs(result.fanOutMs)}`,
      );
      return result;
    };
    const streamsFresh = await openStreams('on the fresh server');

    const push = await pushThroughput({
      serverUrl: server.url,
      token: benchToken,
      clinicId: clinics.bench.clinicId,
      documents: SIZES.pushDocuments,
      batchSize: SIZES.pushBatch,
      clients: SIZES.pushClients,
      maxMs: BUDGET_MS.push,
    });
    console.log(`  push: ${fmtRate(push)}`);

    const pull = await pullThroughput({
      serverUrl: server.url,
      token: benchToken,
      collection: 'patients',
      limit: SIZES.pullLimit,
      maxMs: BUDGET_MS.pull,
    });
    console.log(`  pull: ${fmtRate(pull)}`);

    const latency = await pushToVisible({
      serverUrl: server.url,
      pusherToken: await login(server.url, clinics.latency, 'admin', 'latency pusher'),
      watcherToken: await login(server.url, clinics.latency, 'front_desk', 'latency watcher'),
      clinicId: clinics.latency.clinicId,
      directory: join(workDir, 'latency-client'),
      samples: SIZES.latencySamples,
      maxMs: BUDGET_MS.latency,
    });
    console.log(
      `  push-to-visible: median ${fmtMs(latency.median)}, p95 ${fmtMs(latency.p95)} ` +
        `(${latency.samples.length} samples, ${latency.timeouts} timeouts)`,
    );

    // Seeded while the server runs (like `npm run admin -- seed-demo`), after the push cases, so
    // a store whose queries slow down with size does not colour the cases above.
    const demoOptions = demoClinicOptions(syncPatients, demoClinicId);
    const seeded = await withStore(env, (store) => seedDemoClinic(store, demoOptions));
    console.log(
      `  seeded the demo clinic: ${syncPatients.toLocaleString('en-US')} patients, ` +
        `${seeded.documents.toLocaleString('en-US')} documents in ${fmtSeconds(seeded.millis)}`,
    );
    const sync = await initialSync({
      serverUrl: server.url,
      token: await login(server.url, clinics.demo, 'admin', 'new workstation'),
      directory: join(workDir, 'initial-sync-client'),
      batchSize: SIZES.syncBatch,
      expected: seeded.byCollection,
      maxMs: BUDGET_MS.initialSync,
    });
    console.log(
      `  initial sync (pull batch ${SIZES.syncBatch}): ${sync.timedOut ? 'timed out after ' : ''}` +
        `${fmtSeconds(sync.millis)} (${fmtInt((sync.documents / sync.millis) * 1000)} docs/s, ` +
        `${sync.replicationErrors} retried errors)`,
    );

    const streamsAfterWork = await openStreams('after the cases above');
    return {
      store: label,
      rssAtStartBytes,
      peakRssBytes: server.peakRssBytes(),
      push,
      pull,
      latency,
      seeded: { ...seeded, patients: syncPatients, days: demoOptions.days },
      initialSync: sync,
      streamsFresh,
      streamsAfterWork,
    };
  } finally {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

// --- Formatting ------------------------------------------------------------------------------

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 1 : 0)} ms` : 'n/a');
const fmtSeconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmtMb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const fmtRate = (result: ThroughputResult) =>
  `${fmtInt(result.docsPerSecond)} docs/s (${fmtInt(result.documents)} docs, ` +
  `${result.requests} requests, ${fmtSeconds(result.millis)}${result.timeBound ? ', time budget hit' : ''})`;

interface Row {
  readonly metric: string;
  readonly target: string;
  readonly cell: (result: StoreResults) => string;
}

const mark = (ok: boolean) => (ok ? 'pass' : 'MISS');
const rssCell = (streams: StreamsMemoryResult) =>
  `${fmtMb(streams.rssWithStreamsBytes)} ${mark(streams.rssWithStreamsBytes < TARGETS.rssWithStreamsBytes)}`;
const ROWS: readonly Row[] = [
  {
    metric: 'push throughput',
    target: `≥ ${fmtInt(TARGETS.pushDocsPerSecond)} docs/s`,
    cell: (r) =>
      `${fmtInt(r.push.docsPerSecond)} docs/s ${mark(r.push.docsPerSecond >= TARGETS.pushDocsPerSecond)}`,
  },
  {
    metric: 'pull throughput (limit 500)',
    target: '',
    cell: (r) => `${fmtInt(r.pull.docsPerSecond)} docs/s`,
  },
  {
    metric: 'initial sync (end to end)',
    target: `< ${fmtSeconds(TARGETS.initialSyncMs)} (50k patients)`,
    cell: (r) => {
      const full = r.seeded.patients >= FULL_CLINIC_PATIENTS;
      const time = r.initialSync.timedOut
        ? `> ${fmtSeconds(r.initialSync.millis)}`
        : fmtSeconds(r.initialSync.millis);
      const size = `${fmtInt(r.seeded.patients)} patients, ${fmtInt(r.seeded.documents)} docs`;
      return full
        ? `${time} ${mark(!r.initialSync.timedOut && r.initialSync.millis < TARGETS.initialSyncMs)} (${size})`
        : `${time} (${size}; smaller clinic, no verdict)`;
    },
  },
  {
    metric: 'push-to-visible median',
    target: '',
    cell: (r) => fmtMs(r.latency.median),
  },
  {
    metric: 'push-to-visible p95',
    target: `< ${TARGETS.latencyP95Ms} ms`,
    cell: (r) =>
      `${fmtMs(r.latency.p95)} ${mark(r.latency.timeouts === 0 && r.latency.p95 < TARGETS.latencyP95Ms)}` +
      ` (${r.latency.samples.length} samples${r.latency.timeouts ? `, ${r.latency.timeouts} timeouts` : ''})`,
  },
  {
    metric: `server RSS, ${SIZES.streams} streams, fresh`,
    target: `< ${fmtMb(TARGETS.rssWithStreamsBytes)}`,
    cell: (r) => rssCell(r.streamsFresh),
  },
  {
    metric: `server RSS, ${SIZES.streams} streams, after work`,
    target: `< ${fmtMb(TARGETS.rssWithStreamsBytes)}`,
    cell: (r) => rssCell(r.streamsAfterWork),
  },
  {
    metric: 'server RSS at start / peak',
    target: '',
    cell: (r) => `${fmtMb(r.rssAtStartBytes)} / ${fmtMb(r.peakRssBytes)}`,
  },
];

function printTable(columns: { title: string; result?: StoreResults; missing?: string }[]): void {
  const header = ['case', 'target', ...columns.map((column) => column.title)];
  const body = ROWS.map((row) => [
    row.metric,
    row.target,
    ...columns.map((column) => (column.result ? row.cell(column.result) : `not measured`)),
  ]);
  printMarkdownTable(header, body);
  for (const column of columns) {
    if (column.missing) console.log(`\n${column.title} not measured: ${column.missing}`);
  }
}

// --- Main ------------------------------------------------------------------------------------

// Ctrl-C still runs the exit hooks that stop the server child.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
const startedAt = new Date().toISOString();
const loadAtStart = load();
console.log(
  `Sync server benchmark, BENCH_SCALE=${SCALE}, load average at start: ${loadAtStart} ` +
    `(2 cores; server and clients share them)`,
);

const STORES = (process.env['BENCH_STORES'] ?? 'sqlite,mongodb').split(',');
const sqlite = STORES.includes('sqlite')
  ? await runStore('SQLite', {}, SIZES.syncPatients)
  : undefined;

let mongo: StoreResults | undefined;
let mongoMissing: string | undefined;
let testMongo: TestMongo | undefined;
if (STORES.includes('mongodb')) {
  try {
    testMongo = await startTestMongo({ forceFerretDb: true });
  } catch (error) {
    mongoMissing = error instanceof Error ? error.message : String(error);
  }
} else {
  mongoMissing = 'left out by BENCH_STORES';
}
if (testMongo) {
  try {
    mongo = await runStore(
      'MongoDB store on FerretDB',
      { MONGODB_URL: `${testMongo.url.replace(/\/$/, '')}/topsmile_sync` },
      SIZES.mongoSyncPatients,
    );
  } finally {
    await testMongo.stop();
  }
}

const loadAtEnd = load();
printTable([
  { title: 'SQLite', ...(sqlite ? { result: sqlite } : { missing: 'left out by BENCH_STORES' }) },
  {
    title: 'MongoDB (FerretDB)',
    ...(mongo ? { result: mongo } : {}),
    ...(mongoMissing ? { missing: mongoMissing } : {}),
  },
]);
console.log(`\nLoad average at end: ${loadAtEnd}`);

const outDir = join(repoRoot, '.bench-results');
mkdirSync(outDir, { recursive: true });
const withoutSamples = (result: StoreResults | undefined) =>
  result && { ...result, latency: { ...result.latency, samples: result.latency.samples.length } };
writeFileSync(
  join(outDir, 'server.json'),
  JSON.stringify(
    {
      startedAt,
      scale: SCALE,
      node: process.version,
      loadAverage: { start: loadAtStart, end: loadAtEnd },
      sizes: SIZES,
      budgetsMs: BUDGET_MS,
      targets: TARGETS,
      serverLogLevel: SERVER_LOG_LEVEL,
      sqlite: withoutSamples(sqlite) ?? { notMeasured: 'left out by BENCH_STORES' },
      mongodb: mongo
        ? { flavor: 'ferretdb', ...withoutSamples(mongo) }
        : { notMeasured: mongoMissing },
    },
    null,
    2,
  ),
);
console.log(`Wrote ${join('.bench-results', 'server.json')}`);
