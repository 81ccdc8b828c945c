// Desktop core benchmark, on loopback, bounded: the sync server (child process, SQLite store)
// holds the demo clinic; the core runs as the browser-mode child (`main/core/core-process.ts`)
// on a temporary user-data folder and is driven over its WebSocket, as the page drives it:
//   - initial sync: sign in, then wait until `live.syncStatus` reports a finished round with
//     nothing pending
//   - core memory after the full sync (VmRSS of the child)
//   - warm start: stop the core, start it again on the same folder, time from spawn to the first
//     answered `patients.search` (session restored from disk)
//   - API round trip renderer → core → renderer over the WebSocket (median, p95)
// Prints a table with the targets and writes .bench-results/desktop.json. Not part of `npm test`.
//   npm run bench:desktop
//   BENCH_SCALE=0.1        scale every count (default 1)
//   BENCH_PATIENTS=N       demo clinic size (default 50,000 × BENCH_SCALE)
//   BENCH_CORE=source      run the core from source through tsx instead of the esbuild bundle
//                          the app ships (bundled here into .bench-results/, as `npm run build`
//                          bundles out/core; tsx adds seconds of transpiling to every start)
//   BENCH_CORE_NODE_ARGS   extra node flags for the core child, e.g. "--cpu-prof
//                          --cpu-prof-dir=/tmp/prof" (Node refuses those in NODE_OPTIONS)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiClient, type TopSmileApi } from '../../shared/api/client';
import type { CallableMethod, InputOf } from '../../shared/api/contract';
import type { SyncStatus } from '../../shared/api/views';
import { demoLogins } from '../../shared/demo/index';
import { newId } from '../../shared/domain/ids';
import { hashPassword } from '../../sync-server/auth/passwords';
import { loadEnv, storeConfigFromEnv } from '../../sync-server/env';
import { openStore } from '../../sync-server/store/index';
import {
  connectApiWebSocket,
  type WebSocketClientLink,
} from '../../main/core/transports/websocket-client';
import { CORE_NODE_FLAGS } from '../../main/core/core-node-flags';
import { BUNDLES, bundleNodeEntries } from '../../scripts/build';
import { percentile } from '../server/cases';
import {
  createBenchClinic,
  demoClinicOptions,
  FULL_CLINIC_PATIENTS,
  seedDemoClinic,
  type SeededClinic,
} from '../server/fixtures';
import { printMarkdownTable } from '../table';
import { startServerProcess, type ServerProcess } from '../server/server-process';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
if (!(SCALE > 0)) throw new Error('BENCH_SCALE must be a positive number');
const PATIENTS = Number(
  process.env['BENCH_PATIENTS'] ?? Math.max(100, Math.round(FULL_CLINIC_PATIENTS * SCALE)),
);
if (!(PATIENTS >= 1)) throw new Error('BENCH_PATIENTS must be a positive number');
const ROUND_TRIPS = 500;
/** Budgets: a slow case gives up (and says so) rather than stalling the run. */
const BUDGET_MS = { initialSync: 150_000, warmStart: 30_000, coreReady: 60_000, run: 270_000 };
const TARGETS = {
  rssAfterSyncBytes: 300 * 1024 * 1024,
  warmStartMs: 1000,
  roundTripMedianMs: 2,
};

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CORE_FROM_SOURCE = process.env['BENCH_CORE'] === 'source';
const CORE_SOURCE = 'main/core/core-process.ts';
// Inside the repo, so the bundle's runtime externals (better-sqlite3, pino) resolve from node_modules.
const CORE_BUNDLE = '.bench-results/desktop-core/core-process.js';
const CORE_NODE_ARGS = (process.env['BENCH_CORE_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);
const JWT_SECRET = `bench-${newId()}-`.padEnd(96, 'x');
// The demo logins get this password here (the admin CLI would print a random one).
const DESKTOP_PASSWORD = 'desktop benchmark password, loopback only';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// --- The core child ----------------------------------------------------------------------------

interface CoreProcess {
  readonly pid: number;
  readonly api: TopSmileApi;
  /** performance.now() when the process was spawned. */
  readonly spawnedAt: number;
  rssBytes(): number;
  stop(): Promise<void>;
}

interface ReadyMessage {
  readonly type: 'ready';
  readonly url: string;
  readonly apiUrl: string;
  readonly origin: string;
}

function vmRssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match?.[1]) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Spawns the core in browser mode (as scripts/start.ts does) and connects to its WebSocket. */
async function startCore(userDataDir: string, serverUrl: string): Promise<CoreProcess> {
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...CORE_NODE_FLAGS,
      ...CORE_NODE_ARGS,
      ...(CORE_FROM_SOURCE
        ? ['--import', 'tsx', join(repoRoot, CORE_SOURCE), '--mode=browser']
        : [join(repoRoot, CORE_BUNDLE), '--mode=browser']),
    ],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        TOPSMILE_USER_DATA: userDataDir,
        TOPSMILE_SERVER_URL: serverUrl,
        TOPSMILE_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  let link: WebSocketClientLink | undefined;
  const stop = async (): Promise<void> => {
    await link?.close().catch(() => undefined);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(force);
    }
    process.off('exit', killOnExit);
  };

  try {
    const ready = await new Promise<ReadyMessage>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the core was not ready within ${BUDGET_MS.coreReady} ms`)),
        BUDGET_MS.coreReady,
      );
      child.on('message', (message: Partial<ReadyMessage>) => {
        if (message?.type !== 'ready') return;
        clearTimeout(timer);
        resolve(message as ReadyMessage);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the core exited (${String(code)}) before it was ready`));
      });
    });
    const secret = new URL(ready.url).hash.replace('#secret=', '');
    link = await connectApiWebSocket({ apiUrl: ready.apiUrl, secret, origin: ready.origin });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderr.trim()}`, { cause: error });
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error('the core has no pid');
  return {
    pid,
    api: createApiClient(link.transport),
    spawnedAt,
    rssBytes: () => vmRssBytes(pid),
    stop,
  };
}

// --- Cases -------------------------------------------------------------------------------------

interface InitialSyncResult {
  readonly millis: number;
  readonly timedOut: boolean;
  readonly status: SyncStatus | null;
}

/** From sign-in until the first finished sync round with nothing pending. */
async function signInAndSync(
  core: CoreProcess,
  credentials: { serverUrl: string; clinic: string; email: string },
): Promise<InitialSyncResult> {
  const started = performance.now();
  let latest: SyncStatus | null = null;
  let unsubscribe: (() => void) | undefined;
  const synced = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), BUDGET_MS.initialSync);
    unsubscribe = core.api.subscribe('live.syncStatus', {}, (status) => {
      latest = status;
      if (status.lastSyncedAt !== null && status.pendingChanges === 0) {
        clearTimeout(timer);
        resolve(true);
      }
    });
  });
  await core.api.call('session.signIn', { ...credentials, password: DESKTOP_PASSWORD });
  const done = await synced;
  unsubscribe?.();
  return { millis: performance.now() - started, timedOut: !done, status: latest };
}

interface WarmStartResult {
  readonly millis: number;
  /** Of which: spawn until the WebSocket was open. */
  readonly connectMillis: number;
  readonly timedOut: boolean;
  readonly matches: number;
  /** Three letters of a synced patient's name, so the round-trip search finds someone. */
  readonly prefix: string;
}

/** Spawn to the first answered search; calls before the session is restored are retried. */
async function warmStart(
  userDataDir: string,
  serverUrl: string,
): Promise<WarmStartResult & { core: CoreProcess }> {
  const core = await startCore(userDataDir, serverUrl);
  const connectMillis = performance.now() - core.spawnedAt;
  for (;;) {
    try {
      const result = await core.api.call('patients.search', { text: 'a' });
      return {
        core,
        millis: performance.now() - core.spawnedAt,
        connectMillis,
        timedOut: false,
        matches: result.patients.length,
        prefix: (result.patients[0]?.lastName ?? 'ana').slice(0, 3),
      };
    } catch (error) {
      if (performance.now() - core.spawnedAt > BUDGET_MS.warmStart) {
        console.log(`  warm start: still refused after the budget (${(error as Error).message})`);
        return {
          core,
          millis: BUDGET_MS.warmStart,
          connectMillis,
          timedOut: true,
          matches: 0,
          prefix: 'ana',
        };
      }
      await sleep(5);
    }
  }
}

interface RoundTripResult {
  readonly method: string;
  readonly median: number;
  readonly p95: number;
  readonly iterations: number;
}

async function roundTrips<M extends CallableMethod>(
  api: TopSmileApi,
  method: M,
  input: InputOf<M>,
  label: string,
): Promise<RoundTripResult> {
  for (let warmup = 0; warmup < 20; warmup++) await api.call(method, input);
  const samples: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const started = performance.now();
    await api.call(method, input);
    samples.push(performance.now() - started);
  }
  return {
    method: label,
    median: percentile(samples, 50),
    p95: percentile(samples, 95),
    iterations: samples.length,
  };
}

// --- Setup ---------------------------------------------------------------------------------------

interface SeededDemo extends SeededClinic {
  readonly clinicId: string;
  readonly email: string;
  readonly patients: number;
  readonly days: number;
}

/** The demo clinic in the server's store, with its front-desk login given the known password. */
async function seedServerStore(env: Record<string, string>): Promise<SeededDemo> {
  const clinicId = newId();
  const options = demoClinicOptions(PATIENTS, clinicId);
  const { days } = options;
  // The same store the server (and the admin CLI) opens from this environment.
  const store = await openStore(storeConfigFromEnv(loadEnv(env, () => undefined)));
  try {
    await createBenchClinic(store, 'Desktop bench clinic', clinicId);
    const frontDesk = demoLogins(options).find((demoLogin) => demoLogin.role === 'front_desk');
    if (!frontDesk) throw new Error('the demo clinic has no front-desk login');
    await store.createUser({
      id: frontDesk.staffId,
      clinicId,
      email: frontDesk.email,
      name: frontDesk.name,
      role: frontDesk.role,
      passwordHash: await hashPassword(DESKTOP_PASSWORD),
      disabled: false,
      providerId: null,
      createdAt: new Date().toISOString(),
    });
    const seeded = await seedDemoClinic(store, options);
    return { ...seeded, clinicId, email: frontDesk.email, patients: PATIENTS, days };
  } finally {
    await store.close();
  }
}

// --- Formatting --------------------------------------------------------------------------------

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmtMs = (n: number) => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 2 : 0)} ms` : 'n/a');
const fmtSeconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmtMb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const mark = (ok: boolean) => (ok ? 'pass' : 'MISS');

function printTable(rows: readonly (readonly [string, string, string])[]): void {
  printMarkdownTable(['case', 'target', 'result'], rows);
}

// --- Main ----------------------------------------------------------------------------------------

// Ctrl-C still runs the exit hooks that kill the children.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));
const watchdog = setTimeout(() => {
  console.error(`desktop benchmark: over its ${fmtSeconds(BUDGET_MS.run)} budget, giving up`);
  process.exit(1);
}, BUDGET_MS.run);
watchdog.unref();

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ');
const startedAt = new Date().toISOString();
const loadAtStart = load();
console.log(
  `Desktop core benchmark, BENCH_SCALE=${SCALE}, ${fmtInt(PATIENTS)} patients, core from ` +
    `${CORE_FROM_SOURCE ? 'source (tsx)' : 'the esbuild bundle'}, ` +
    `load average at start: ${loadAtStart}`,
);

const workDir = mkdtempSync(join(tmpdir(), 'topsmile-bench-desktop-'));
process.once('exit', () => rmSync(workDir, { recursive: true, force: true }));
const serverEnv = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'warn',
  DATA_DIR: join(workDir, 'server'),
  JWT_SECRET,
};
mkdirSync(serverEnv.DATA_DIR, { recursive: true });
const userDataDir = join(workDir, 'user-data');
mkdirSync(userDataDir, { recursive: true });

let server: ServerProcess | undefined;
let core: CoreProcess | undefined;
try {
  const seeded = await seedServerStore(serverEnv);
  console.log(
    `  seeded the demo clinic: ${fmtInt(seeded.patients)} patients, ` +
      `${fmtInt(seeded.documents)} documents in ${fmtSeconds(seeded.millis)}`,
  );
  server = await startServerProcess(serverEnv);
  if (!CORE_FROM_SOURCE) {
    const shipped = BUNDLES.find((bundle) => bundle.entry === CORE_SOURCE);
    if (!shipped) throw new Error(`scripts/build.ts no longer bundles ${CORE_SOURCE}`);
    await bundleNodeEntries([{ ...shipped, outfile: CORE_BUNDLE }]);
  }

  core = await startCore(userDataDir, server.url);
  const sync = await signInAndSync(core, {
    serverUrl: server.url,
    clinic: seeded.clinicId,
    email: seeded.email,
  });
  console.log(
    `  initial sync: ${sync.timedOut ? 'timed out after ' : ''}${fmtSeconds(sync.millis)}` +
      ` (${fmtInt((seeded.documents / sync.millis) * 1000)} docs/s)`,
  );
  // A moment for the replication's last writes and the garbage they leave to settle.
  await sleep(1000);
  const rssAfterSyncBytes = core.rssBytes();
  console.log(`  core RSS after the sync: ${fmtMb(rssAfterSyncBytes)}`);
  await core.stop();
  core = undefined;

  const warm = await warmStart(userDataDir, server.url);
  core = warm.core;
  console.log(
    `  warm start: first search answered ${fmtMs(warm.millis)} after spawn ` +
      `(WebSocket open after ${fmtMs(warm.connectMillis)}, ${warm.matches} matches)`,
  );

  const settingsTrip = await roundTrips(core.api, 'settings.get', {}, 'settings.get');
  const searchTrip = await roundTrips(
    core.api,
    'patients.search',
    { text: warm.prefix },
    'patients.search, 3-letter prefix',
  );
  const prefixMatches = (await core.api.call('patients.search', { text: warm.prefix })).patients
    .length;
  // The prefix is a patient's name: only its match count is printed.
  console.log(`  the 3-letter prefix matches ${prefixMatches} patients (one page at most)`);
  for (const trip of [settingsTrip, searchTrip]) {
    console.log(
      `  round trip ${trip.method}: median ${fmtMs(trip.median)}, p95 ${fmtMs(trip.p95)}`,
    );
  }
  const rssAtEndBytes = core.rssBytes();

  const fullClinic = seeded.patients >= FULL_CLINIC_PATIENTS;
  const verdict = (ok: boolean) => (fullClinic ? mark(ok) : `${mark(ok)} (smaller clinic)`);
  const tripRow = (trip: RoundTripResult): [string, string, string] => [
    `round trip ${trip.method} (median / p95)`,
    `median < ${TARGETS.roundTripMedianMs} ms`,
    `${fmtMs(trip.median)} / ${fmtMs(trip.p95)} ${mark(trip.median < TARGETS.roundTripMedianMs)}`,
  ];
  printTable([
    [
      'initial sync (sign-in to synced)',
      '',
      `${sync.timedOut ? '> ' : ''}${fmtSeconds(sync.millis)} ` +
        `(${fmtInt(seeded.patients)} patients, ${fmtInt(seeded.documents)} docs)`,
    ],
    [
      'core RSS after the full sync',
      `< ${fmtMb(TARGETS.rssAfterSyncBytes)}`,
      sync.timedOut
        ? `${fmtMb(rssAfterSyncBytes)} (sync unfinished, no verdict)`
        : `${fmtMb(rssAfterSyncBytes)} ${verdict(rssAfterSyncBytes < TARGETS.rssAfterSyncBytes)}`,
    ],
    [
      'warm start: spawn to first search',
      `< ${fmtMs(TARGETS.warmStartMs)}`,
      `${warm.timedOut ? '> ' : ''}${fmtMs(warm.millis)} ` +
        verdict(!warm.timedOut && warm.millis < TARGETS.warmStartMs),
    ],
    tripRow(settingsTrip),
    tripRow(searchTrip),
    ['core RSS at end', '', fmtMb(rssAtEndBytes)],
  ]);
  const loadAtEnd = load();
  console.log(`\nLoad average at end: ${loadAtEnd}`);

  const outDir = join(repoRoot, '.bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'desktop.json'),
    JSON.stringify(
      {
        startedAt,
        scale: SCALE,
        core: CORE_FROM_SOURCE ? 'source (tsx)' : 'esbuild bundle',
        node: process.version,
        loadAverage: { start: loadAtStart, end: loadAtEnd },
        budgetsMs: BUDGET_MS,
        targets: TARGETS,
        seeded: {
          patients: seeded.patients,
          days: seeded.days,
          documents: seeded.documents,
          byCollection: seeded.byCollection,
          millis: seeded.millis,
        },
        initialSync: {
          millis: sync.millis,
          timedOut: sync.timedOut,
          status: sync.status,
        },
        rssAfterSyncBytes,
        rssAtEndBytes,
        warmStart: {
          millis: warm.millis,
          connectMillis: warm.connectMillis,
          timedOut: warm.timedOut,
          matches: warm.matches,
        },
        roundTrips: [settingsTrip, searchTrip],
        prefixMatches,
        pass: {
          rssAfterSync: !sync.timedOut && rssAfterSyncBytes < TARGETS.rssAfterSyncBytes,
          warmStart: !warm.timedOut && warm.millis < TARGETS.warmStartMs,
          roundTripMedian: settingsTrip.median < TARGETS.roundTripMedianMs,
        },
      },
      null,
      2,
    ),
  );
  console.log(`Wrote ${join('.bench-results', 'desktop.json')}`);
} finally {
  await core?.stop();
  await server?.stop();
  clearTimeout(watchdog);
  rmSync(workDir, { recursive: true, force: true });
}
