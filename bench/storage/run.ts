// Storage benchmark: this SQLite RxStorage side by side with RxDB's memory storage, RxDB's trial
// SQLite storage (within its cap) and raw better-sqlite3. Not part of `npm test`.
//   npm run bench:storage            (lead wires: tsx bench/storage/run.ts)
//   BENCH_SCALE=0.1                  scale the clinic-sized cases (default 1: 100k patients,
//                                    500k appointments)
//   BENCH_LARGE=1                    also build a ~1 GB file for the cold-open case
//   BENCH_PERF_RUNS=10               runs of RxDB's runPerformanceTests per storage
import { faker } from '@faker-js/faker';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { RxDocumentData, RxStorage, RxStorageDefaultCheckpoint } from 'rxdb';
import { getChangedDocumentsSince, getIndexableStringMonad } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getRxStorageSQLiteTrial, getSQLiteBasicsNodeNative } from 'rxdb/plugins/storage-sqlite';
import { runPerformanceTests } from 'rxdb/plugins/test-utils';
import { v7 as uuidv7 } from 'uuid';
import type { SQLiteSynchronousLevel } from '../../shared/storage';
import { databaseFileName, getRxStorageSQLite } from '../../shared/storage';
import { toSqlKey } from '../../shared/storage/index-columns';
import type { AnyInstance } from '../../shared/storage/test-support/storage-helpers';
import {
  asWritten,
  createTestInstance,
  prepare,
} from '../../shared/storage/test-support/storage-helpers';
import type {
  AppointmentTestDoc,
  PatientTestDoc,
} from '../../shared/storage/test-support/test-schemas';
import {
  appointmentTestSchema,
  patientTestSchema,
} from '../../shared/storage/test-support/test-schemas';

const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const LARGE = process.env.BENCH_LARGE === '1';
const PERF_RUNS = Number(process.env.BENCH_PERF_RUNS ?? '10');
const PATIENTS = Math.round(100_000 * SCALE);
const APPOINTMENTS = Math.round(500_000 * SCALE);
const TRIAL_DOCS = 400; // the trial storage stops at 500 documents and 500 operations
const QUERY_SAMPLES = 300;
const SYNCHRONOUS: SQLiteSynchronousLevel = 'FULL'; // the storage's default, used everywhere

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workDir = mkdtempSync(join(tmpdir(), 'topsmile-bench-'));
const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  scale: SCALE,
  node: process.version,
  synchronous: SYNCHRONOUS,
};
type Row = { case: string; storage: string; value: string; note?: string };
const table: Row[] = [];
function report(row: Row): void {
  table.push(row);
  console.log(`  ${row.case} | ${row.storage} | ${row.value}${row.note ? ' | ' + row.note : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Data
faker.seed(20250304);
const LAST_NAMES = Array.from({ length: 3000 }, () => faker.person.lastName());
const FIRST_NAMES = Array.from({ length: 800 }, () => faker.person.firstName());
const CITIES = Array.from({ length: 200 }, () => faker.location.city());
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

function makePatients(count: number): RxDocumentData<PatientTestDoc>[] {
  return Array.from({ length: count }, (_, i) => {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    return asWritten<PatientTestDoc>({
      id: uuidv7(),
      nameKey: `${last} ${first}`.toLowerCase(),
      phoneKey: String(5550000000 + i),
      birthDate: `19${String(40 + (i % 60)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`,
      displayName: `${first} ${last}`,
      age: i % 100,
      balance: (i % 1000) * 1.25,
      address: { city: pick(CITIES), zip: i % 99999 },
      tags: i % 7 === 0 ? ['vip'] : [],
    });
  });
}

const DAY_MS = 86_400_000;
const FIRST_DAY = Date.parse('2025-01-01T00:00:00.000Z');
const PROVIDERS = 40;
function makeAppointments(
  count: number,
  patientIds: string[],
  note = '',
): RxDocumentData<AppointmentTestDoc>[] {
  return Array.from({ length: count }, (_, i) => {
    const day = i % 365;
    const slot = Math.floor(i / 365) % 20;
    const start = FIRST_DAY + day * DAY_MS + (8 * 60 + slot * 30) * 60_000;
    const doc: AppointmentTestDoc = {
      id: uuidv7(),
      providerId: 'provider-' + (Math.floor(i / 365 / 20) % PROVIDERS),
      operatoryId: 'operatory-' + (i % 25),
      patientId: patientIds[i % patientIds.length]!,
      start: new Date(start).toISOString(),
      end: new Date(start + 30 * 60_000).toISOString(),
      status: 'scheduled',
    };
    if (note) doc.note = note;
    return asWritten(doc);
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers
function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const ms = (n: number) => `${n.toFixed(n < 10 ? 3 : 1)} ms`;
const rate = (docs: number, millis: number) =>
  `${Math.round((docs / millis) * 1000).toLocaleString('en-US')} docs/s`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

async function timeIt<T>(run: () => Promise<T> | T): Promise<{ value: T; millis: number }> {
  const started = performance.now();
  const value = await run();
  return { value, millis: performance.now() - started };
}

async function withoutConsoleWarn<T>(run: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return await run();
  } finally {
    console.warn = warn;
  }
}

function sqlite(directory: string) {
  return getRxStorageSQLite({ directory, synchronous: SYNCHRONOUS });
}

/** better-sqlite3 behind the `node:sqlite` DatabaseSync API that RxDB's trial storage drives. */
class BetterSqliteAsNodeSqlite {
  private readonly db: Database.Database;
  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${SYNCHRONOUS}`);
  }
  prepare(sql: string) {
    const statement = this.db.prepare(sql);
    return {
      all: (...params: unknown[]) =>
        statement.reader ? statement.all(...params) : (statement.run(...params), []),
      run: (...params: unknown[]) => statement.run(...params),
    };
  }
  exec(sql: string) {
    this.db.exec(sql);
  }
  close() {
    this.db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Cases
async function bulkInsertCase(): Promise<void> {
  console.log(`\n# Bulk insert of ${PATIENTS.toLocaleString('en-US')} patients (one write)`);
  const docs = makePatients(PATIENTS);
  const out: Record<string, number> = {};

  // Raw better-sqlite3, the ceiling: the same JSON rows, one transaction, same pragmas.
  {
    const db = new Database(join(workDir, 'raw-json.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${SYNCHRONOUS}`);
    db.exec('CREATE TABLE docs (id TEXT NOT NULL PRIMARY KEY, data TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO docs (id, data) VALUES (?, ?)');
    const { millis } = await timeIt(() =>
      db.transaction(() => {
        for (const doc of docs) insert.run(doc.id, JSON.stringify(doc));
      })(),
    );
    db.close();
    out.rawJsonMs = millis;
    report({
      case: 'bulk insert',
      storage: 'raw better-sqlite3 (id, json)',
      value: rate(PATIENTS, millis),
    });
  }
  // Raw with the same index columns and SQLite indexes as ours, keys computed outside the timer.
  {
    const instance = await createTestInstance(
      sqlite(join(workDir, 'schema-probe')),
      patientTestSchema,
      {
        databaseName: 'probe',
        collectionName: 'patients',
      },
    );
    const indexes = (instance.schema.indexes ?? []).map((i) => (Array.isArray(i) ? i : [i]));
    await instance.remove();
    const keyFns = indexes.map((index) => getIndexableStringMonad(instance.schema, index));
    const keys = docs.map((doc) => keyFns.map((fn) => toSqlKey(fn(doc))));
    const db = new Database(join(workDir, 'raw-indexed.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${SYNCHRONOUS}`);
    const cols = indexes.map((_, i) => `k${i}`);
    db.exec(
      `CREATE TABLE docs (id TEXT NOT NULL PRIMARY KEY, data TEXT NOT NULL, deleted INTEGER NOT NULL, lwt REAL NOT NULL, ${cols.map((c) => `${c} TEXT NOT NULL`).join(', ')})`,
    );
    for (const c of cols) db.exec(`CREATE INDEX idx_${c} ON docs (${c})`);
    db.exec('CREATE INDEX tomb ON docs (lwt) WHERE deleted = 1');
    const insert = db.prepare(
      `INSERT INTO docs VALUES (?, ?, ?, ?, ${cols.map(() => '?').join(', ')})`,
    );
    const { millis } = await timeIt(() =>
      db.transaction(() => {
        docs.forEach((doc, i) =>
          insert.run(doc.id, JSON.stringify(doc), 0, doc._meta.lwt, ...keys[i]!),
        );
      })(),
    );
    db.close();
    out.rawIndexedMs = millis;
    report({
      case: 'bulk insert',
      storage: `raw better-sqlite3 (same ${cols.length} index columns)`,
      value: rate(PATIENTS, millis),
    });
  }
  // This storage.
  {
    const instance = await createTestInstance(
      sqlite(join(workDir, 'ours-insert')),
      patientTestSchema,
      {
        databaseName: 'clinic',
        collectionName: 'patients',
      },
    );
    const { value, millis } = await timeIt(() =>
      instance.bulkWrite(
        docs.map((document) => ({ document })),
        'bench',
      ),
    );
    if (value.error.length) throw new Error('insert errors');
    await instance.close();
    out.oursMs = millis;
    report({
      case: 'bulk insert',
      storage: 'this storage',
      value: rate(PATIENTS, millis),
      note: `${((out.rawJsonMs! / millis) * 100).toFixed(0)}% of raw JSON rate, ${((out.rawIndexedMs! / millis) * 100).toFixed(0)}% of raw indexed rate`,
    });
  }
  // Memory storage.
  {
    const instance = await createTestInstance(getRxStorageMemory(), patientTestSchema, {
      databaseName: 'bench-insert-' + Date.now(),
      collectionName: 'patients',
    });
    const { millis } = await timeIt(() =>
      instance.bulkWrite(
        docs.map((document) => ({ document })),
        'bench',
      ),
    );
    await instance.remove();
    out.memoryMs = millis;
    report({ case: 'bulk insert', storage: 'memory storage', value: rate(PATIENTS, millis) });
  }
  results.bulkInsert = { docs: PATIENTS, ...out };
}

/** Inserts `docs` in writes of `batch` documents; returns the elapsed milliseconds. */
async function insertInBatches(
  storage: RxStorage<unknown, unknown>,
  docs: RxDocumentData<PatientTestDoc>[],
  batch: number,
): Promise<number> {
  const instance = await createTestInstance(storage, patientTestSchema, {
    databaseName: 'clinic-' + batch,
    collectionName: 'patients',
  });
  const { millis } = await timeIt(async () => {
    for (let i = 0; i < docs.length; i += batch) {
      const result = await instance.bulkWrite(
        docs.slice(i, i + batch).map((document) => ({ document })),
        'bench',
      );
      if (result.error.length) throw new Error('insert errors');
    }
  });
  await instance.close();
  return millis;
}

async function trialCase(): Promise<void> {
  console.log(
    `\n# Insert ${TRIAL_DOCS} patients (RxDB trial SQLite storage cap: 500 docs, 500 ops)`,
  );
  const docs = makePatients(TRIAL_DOCS);
  const out: Record<string, unknown> = { docs: TRIAL_DOCS };
  // One write of 400, then 40 writes of 10 (the trial reads its whole table on every write).
  for (const batch of [TRIAL_DOCS, 10]) {
    const label =
      batch === TRIAL_DOCS
        ? `insert ${TRIAL_DOCS}, one write`
        : `insert ${TRIAL_DOCS}, writes of ${batch}`;
    let trialMs: number | undefined;
    try {
      const trialDir = join(workDir, 'trial-' + batch);
      mkdirSync(trialDir, { recursive: true });
      const trial = getRxStorageSQLiteTrial({
        sqliteBasics: getSQLiteBasicsNodeNative(BetterSqliteAsNodeSqlite),
        databaseNamePrefix: trialDir + '/',
      }) as RxStorage<unknown, unknown>;
      trialMs = await withoutConsoleWarn(() => insertInBatches(trial, docs, batch));
      report({ case: label, storage: 'RxDB trial SQLite', value: rate(TRIAL_DOCS, trialMs) });
    } catch (error) {
      out['trialError' + batch] = String(error);
      report({
        case: label,
        storage: 'RxDB trial SQLite',
        value: 'could not run',
        note: String(error),
      });
    }
    const oursMs = await insertInBatches(sqlite(join(workDir, 'ours-trial-' + batch)), docs, batch);
    report({
      case: label,
      storage: 'this storage',
      value: rate(TRIAL_DOCS, oursMs),
      note: trialMs === undefined ? '' : `${(trialMs / oursMs).toFixed(1)}x the trial rate`,
    });
    out['batch' + batch] = { trialMs, oursMs };
  }
  results.trialComparison = out;
}

async function screenQueryCases(): Promise<void> {
  console.log(
    `\n# Screen queries: ${PATIENTS.toLocaleString('en-US')} patients, ${APPOINTMENTS.toLocaleString('en-US')} appointments`,
  );
  const patients = makePatients(PATIENTS);
  const appointments = makeAppointments(
    APPOINTMENTS,
    patients.map((p) => p.id),
  );
  const oursStorage = sqlite(join(workDir, 'clinic'));
  const storages: [string, RxStorage<unknown, unknown>, string][] = [
    ['this storage', oursStorage, 'clinic'],
    ['memory storage', getRxStorageMemory(), 'bench-screens-' + Date.now()],
  ];
  const out: Record<string, unknown> = {};
  for (const [label, storage, databaseName] of storages) {
    const patientsInstance = await createTestInstance(storage, patientTestSchema, {
      databaseName,
      collectionName: 'patients',
    });
    const appointmentsInstance = await createTestInstance(storage, appointmentTestSchema, {
      databaseName,
      collectionName: 'appointments',
    });
    for (let i = 0; i < patients.length; i += 20_000) {
      await patientsInstance.bulkWrite(
        patients.slice(i, i + 20_000).map((document) => ({ document })),
        'bench',
      );
    }
    for (let i = 0; i < appointments.length; i += 50_000) {
      await appointmentsInstance.bulkWrite(
        appointments.slice(i, i + 50_000).map((document) => ({ document })),
        'bench',
      );
    }

    // Patient search by name prefix (what the front desk types: 3 letters), first 50 results.
    const searchSamples: number[] = [];
    let searchRows = 0;
    for (let i = 0; i < QUERY_SAMPLES; i++) {
      const prefix = pick(patients).nameKey.slice(0, 3);
      const { value, millis } = await timeIt(() =>
        patientsInstance.query(
          prepare(patientsInstance.schema, {
            selector: {
              _deleted: { $eq: false },
              nameKey: { $gte: prefix, $lte: prefix + '\uffff' },
            },
            sort: [{ nameKey: 'asc' }],
            limit: 50,
          }),
        ),
      );
      searchSamples.push(millis);
      searchRows += value.documents.length;
    }
    report({
      case: 'patient search by name prefix',
      storage: label,
      value: `p50 ${ms(percentile(searchSamples, 50))}, p95 ${ms(percentile(searchSamples, 95))}`,
      note: `avg ${(searchRows / QUERY_SAMPLES).toFixed(0)} rows`,
    });

    // One provider's day schedule.
    const daySamples: number[] = [];
    let dayRows = 0;
    for (let i = 0; i < QUERY_SAMPLES; i++) {
      const day = new Date(FIRST_DAY + Math.floor(Math.random() * 365) * DAY_MS);
      const next = new Date(day.getTime() + DAY_MS);
      const providerId = 'provider-' + Math.floor(Math.random() * PROVIDERS);
      const { value, millis } = await timeIt(() =>
        appointmentsInstance.query(
          prepare(appointmentsInstance.schema, {
            selector: {
              _deleted: { $eq: false },
              providerId: { $eq: providerId },
              start: { $gte: day.toISOString(), $lt: next.toISOString() },
            },
            sort: [{ start: 'asc' }],
          }),
        ),
      );
      daySamples.push(millis);
      dayRows += value.documents.length;
    }
    report({
      case: "one provider's day",
      storage: label,
      value: `p50 ${ms(percentile(daySamples, 50))}, p95 ${ms(percentile(daySamples, 95))}`,
      note: `avg ${(dayRows / QUERY_SAMPLES).toFixed(1)} rows`,
    });

    // getChangedDocumentsSince through everything: memory must not grow with the doc count.
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    let checkpoint: RxStorageDefaultCheckpoint | undefined;
    let seen = 0;
    const paging = await timeIt(async () => {
      for (;;) {
        const page = await getChangedDocumentsSince(
          appointmentsInstance as AnyInstance<AppointmentTestDoc>,
          1000,
          checkpoint,
        );
        seen += page.documents.length;
        checkpoint = page.checkpoint as RxStorageDefaultCheckpoint;
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        if (page.documents.length < 1000) break;
      }
    });
    const rssAfter = process.memoryUsage().rss;
    report({
      case: 'getChangedDocumentsSince, pages of 1000',
      storage: label,
      value: `${ms(paging.millis)} for ${seen.toLocaleString('en-US')} docs`,
      note: `RSS before ${mb(rssBefore)}, peak ${mb(rssPeak)}, after ${mb(rssAfter)}`,
    });
    out[label] = {
      searchP50: percentile(searchSamples, 50),
      searchP95: percentile(searchSamples, 95),
      dayP50: percentile(daySamples, 50),
      dayP95: percentile(daySamples, 95),
      changesMs: paging.millis,
      changesDocs: seen,
      rssBefore,
      rssPeak,
      rssAfter,
    };
    if (label === 'memory storage') {
      await patientsInstance.remove();
      await appointmentsInstance.remove();
    } else {
      await patientsInstance.close();
      await appointmentsInstance.close();
    }
  }
  results.screenQueries = { patients: PATIENTS, appointments: APPOINTMENTS, ...out };
}

async function coldOpenCase(): Promise<void> {
  let directory = join(workDir, 'clinic');
  let databaseName = 'clinic';
  if (LARGE) {
    directory = join(workDir, 'large');
    databaseName = 'large';
    console.log('\n# Building a ~1 GB database file (BENCH_LARGE=1)');
    const instance = await createTestInstance(sqlite(directory), appointmentTestSchema, {
      databaseName,
      collectionName: 'appointments',
    });
    const note = 'x'.repeat(900);
    const patientIds = Array.from({ length: 20_000 }, () => uuidv7());
    while (statSync(join(directory, databaseFileName(databaseName))).size < 1024 ** 3) {
      await instance.bulkWrite(
        makeAppointments(50_000, patientIds, note).map((document) => ({ document })),
        'bench',
      );
    }
    await instance.close();
  }
  const file = join(directory, databaseFileName(databaseName));
  const size = statSync(file).size;
  console.log(
    `\n# Cold open of a ${mb(size)} file in a fresh process${LARGE ? '' : ' (set BENCH_LARGE=1 for ~1 GB)'}`,
  );
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'bench/storage/cold-open.ts'), directory, databaseName],
    { encoding: 'utf8', cwd: repoRoot },
  );
  if (child.status !== 0) throw new Error('cold open failed: ' + child.stderr);
  const measured = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    openMs: number;
    firstQueryMs: number;
    totalMs: number;
  };
  report({
    case: `cold open (${mb(size)} file)`,
    storage: 'this storage',
    value: `open ${ms(measured.openMs)}, first day query ${ms(measured.firstQueryMs)}`,
    note: 'fresh process; the OS file cache may be warm',
  });
  results.coldOpen = { fileBytes: size, large: LARGE, ...measured };
}

/** RxDB's published premium SQLite figures, as multiples of the memory storage's time. */
const PUBLISHED_PREMIUM_SQLITE_RATIO: Record<string, number> = {
  'insert-documents-500': 28,
  'find-by-ids-3000': 5,
  'find-by-query': 7,
  '4x-count': 7,
};

async function rxdbPerformanceCase(): Promise<void> {
  console.log(
    `\n# RxDB runPerformanceTests (${PERF_RUNS} runs each; times in ms, lower is better)`,
  );
  const config = { runs: PERF_RUNS, waitBetweenTests: 20, log: false };
  const memory = await runPerformanceTests(getRxStorageMemory(), 'memory', config);
  const ours = await runPerformanceTests(sqlite(join(workDir, 'perf')), 'this storage', config);
  const lines: Record<string, unknown> = {};
  console.log('  metric | this storage | memory | ratio | RxDB premium SQLite ratio (published)');
  for (const [key, value] of Object.entries(ours)) {
    const memoryValue = memory[key];
    if (typeof value !== 'number' || typeof memoryValue !== 'number' || key.endsWith('Amount')) {
      continue;
    }
    const ratio = value / memoryValue;
    const published = PUBLISHED_PREMIUM_SQLITE_RATIO[key];
    console.log(
      `  ${key} | ${value.toFixed(2)} | ${memoryValue.toFixed(2)} | ${ratio.toFixed(1)}x | ${published ? published + 'x' : '-'}`,
    );
    lines[key] = {
      ours: value,
      memory: memoryValue,
      ratio,
      publishedPremiumSQLiteRatio: published,
    };
  }
  console.log(
    '  RxDB trial SQLite: not run here; runPerformanceTests inserts 3,000 docs per run, over the trial cap of 500.',
  );
  results.rxdbPerformance = lines;
}

// ---------------------------------------------------------------------------------------------
try {
  console.log(
    `Storage benchmark (BENCH_SCALE=${SCALE}, synchronous=${SYNCHRONOUS}, work dir ${workDir})`,
  );
  await bulkInsertCase();
  await trialCase();
  await screenQueryCases();
  await coldOpenCase();
  await rxdbPerformanceCase();
  results.table = table;
  const outDir = join(repoRoot, '.bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'storage.json'), JSON.stringify(results, null, 2));
  console.log(`\nWritten ${join(outDir, 'storage.json')}`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
