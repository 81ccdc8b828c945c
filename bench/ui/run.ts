// (The folder is "ui", not "renderer": the lint layering rules read a "renderer" folder as the app UI.)
// Renderer benchmark, through Chromium in browser mode against real parts (loopback, bounded):
//   - initial bundle: gzipped JS + CSS that index.html loads before the first paint
//   - time to first usable schedule: a signed-in, synced workstation starts (core spawned) until
//     the schedule shows its first appointment; also from page navigation alone
//   - patient search per keystroke on the demo clinic: from the keystroke until the list shows
//     the matches for what is now typed (median, p95)
// Prints a table with the targets and writes .bench-results/ui.json. Not part of `npm test`.
//   npm run bench:ui
//   BENCH_SCALE=0.1    scale the clinic (default 1: 50,000 patients)
//   BENCH_PATIENTS=N   clinic size
/// <reference lib="dom" />
// (DOM types for the functions that run inside the page.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright';
import type { TopSmileApi } from '../../shared/api/client';
import { buildAll, repoRoot } from '../../scripts/build';
import { measureInitialLoad } from '../../scripts/check-bundle-size.mjs';
import { DemoServer, scratchDir, Workstation } from '../../e2e/support/app';
import { percentile } from '../server/cases';
import { FULL_CLINIC_PATIENTS } from '../server/fixtures';
import { printMarkdownTable } from '../table';

const SCALE = Number(process.env['BENCH_SCALE'] ?? '1');
if (!(SCALE > 0)) throw new Error('BENCH_SCALE must be a positive number');
const PATIENTS = Number(
  process.env['BENCH_PATIENTS'] ?? Math.max(200, Math.round(FULL_CLINIC_PATIENTS * SCALE)),
);
const TARGETS = { bundleKb: 250, firstScheduleMs: 2000, searchP95Ms: 50 };
const BUDGET_MS = { initialSync: 240_000, firstSchedule: 30_000, keystroke: 5_000 };
const SEARCH_WORDS = 12;
const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/** Signs in through the form and waits until the first sync round finished with nothing left. */
async function signInAndSync(page: Page, station: Workstation, server: DemoServer) {
  const { email, password } = server.login('front_desk');
  await page.goto(station.url);
  await page.getByLabel('Clinic').fill(server.info.clinicName);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  const started = performance.now();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page
    .getByTestId('sync-pending')
    .filter({ hasText: 'All changes synced' })
    .waitFor({ timeout: BUDGET_MS.initialSync });
  await page.getByTestId('sync-status').filter({ hasText: 'Online' }).waitFor();
  return performance.now() - started;
}

/** Core spawn → page → first appointment drawn on the schedule. */
async function firstSchedule(browser: Browser, station: Workstation) {
  const spawned = performance.now();
  await station.start();
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const navigated = performance.now();
  await page.goto(station.url);
  await page
    .locator('.rbc-event')
    .first()
    .waitFor({ state: 'visible', timeout: BUDGET_MS.firstSchedule });
  const done = performance.now();
  return { page, fromSpawnMs: done - spawned, fromNavigationMs: done - navigated };
}

/**
 * Types each word one character at a time into the patient search; each sample runs from the
 * input event to the moment the results list says it shows the matches for the new text.
 */
async function searchLatencies(page: Page, words: readonly string[]): Promise<number[]> {
  await page.goto(page.url().replace(/#.*$/, '#/patients'));
  const box = page.getByLabel('Search patients');
  await box.waitFor();
  const samples: number[] = [];
  for (const word of words) {
    await box.fill('');
    for (let length = 1; length <= word.length; length++) {
      const text = word.slice(0, length);
      const millis = await page.evaluate(
        ({ text, budget }) =>
          new Promise<number>((resolve, reject) => {
            const input = document.querySelector<HTMLInputElement>('input[type="search"]');
            if (!input) return reject(new Error('no search box'));
            // (No named function in here: tsx would wrap it in a helper the page does not have.)
            const selector = `[data-search-text="${CSS.escape(text)}"]`;
            const started = performance.now();
            const observer = new MutationObserver(() => {
              if (document.querySelector(selector) === null) return;
              observer.disconnect();
              resolve(performance.now() - started);
            });
            observer.observe(document.body, { subtree: true, childList: true, attributes: true });
            setTimeout(() => {
              observer.disconnect();
              reject(new Error(`no results for "${text}" within ${budget} ms`));
            }, budget);
            // What a keystroke does: the value changes and an input event fires.
            const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!;
            setValue.set!.call(input, text);
            input.dispatchEvent(new Event('input', { bubbles: true }));
          }),
        { text, budget: BUDGET_MS.keystroke },
      );
      samples.push(millis);
    }
  }
  return samples;
}

const fmtMs = (ms: number) => `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
const mark = (ok: boolean) => (ok ? 'pass' : 'MISS');

async function main(): Promise<void> {
  const scratch = scratchDir('bench-ui');
  const server = new DemoServer(join(scratch.dir, 'server'));
  let station: Workstation | null = null;
  let browser: Browser | null = null;
  try {
    console.log('building out/ and dist/renderer…');
    await buildAll({ renderer: 'always' });
    const bundle = measureInitialLoad(join(repoRoot, 'dist', 'renderer'));
    const bundleKb = bundle.total / 1024;

    console.log(`seeding a ${PATIENTS.toLocaleString('en-US')}-patient demo clinic…`);
    process.env['DEMO_PATIENTS'] = String(PATIENTS);
    const seedStarted = performance.now();
    await server.start();
    const seedMs = performance.now() - seedStarted;

    station = new Workstation(join(scratch.dir, 'station'), server.url);
    await station.start();
    browser = await launchBrowser();
    const signInPage = await browser.newPage();
    console.log('signing in and syncing the clinic…');
    const syncMs = await signInAndSync(signInPage, station, server);
    await signInPage.close();
    await station.stop();

    console.log('warm start to the first schedule…');
    const first = await firstSchedule(browser, station);

    // Words people would type: the start of real last names of the clinic, two to five letters.
    const names = await first.page.evaluate(async () => {
      const api = (window as unknown as { topsmile: TopSmileApi }).topsmile;
      const found = await api.call('patients.search', { text: 'a', limit: 200 });
      return found.patients.map((patient) => ({ ...patient }));
    });
    const words = names
      .filter((_, index) => index % Math.max(1, Math.floor(names.length / SEARCH_WORDS)) === 0)
      .slice(0, SEARCH_WORDS)
      .map((patient, index) => patient.lastName.slice(0, 2 + (index % 4)));
    // Counts only: even invented patients' names stay out of what a run prints.
    console.log(`typing ${words.length} searches of 2 to 5 letters…`);
    const samples = await searchLatencies(first.page, words);
    const median = percentile(samples, 50);
    const p95 = percentile(samples, 95);

    const rows: [string, string, string][] = [
      [
        'initial bundle (gzipped JS + CSS)',
        `< ${TARGETS.bundleKb} KB`,
        `${bundleKb.toFixed(1)} KB ${mark(bundleKb < TARGETS.bundleKb)}`,
      ],
      [
        'demo clinic seeded (server)',
        '-',
        `${PATIENTS.toLocaleString('en-US')} patients in ${(seedMs / 1000).toFixed(1)} s`,
      ],
      ['sign-in to synced (through the UI)', '-', `${(syncMs / 1000).toFixed(1)} s`],
      [
        'first usable schedule, from core spawn',
        `< ${TARGETS.firstScheduleMs} ms`,
        `${fmtMs(first.fromSpawnMs)} ${mark(first.fromSpawnMs < TARGETS.firstScheduleMs)}`,
      ],
      ['first usable schedule, from page load', '-', fmtMs(first.fromNavigationMs)],
      ['patient search per keystroke, median', '-', fmtMs(median)],
      [
        'patient search per keystroke, p95',
        `< ${TARGETS.searchP95Ms} ms`,
        `${fmtMs(p95)} ${mark(p95 < TARGETS.searchP95Ms)} (${samples.length} keystrokes)`,
      ],
    ];
    console.log(
      `\nload average ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')}`,
    );
    printMarkdownTable(['case', 'target', 'result'], rows);
    mkdirSync(join(repoRoot, '.bench-results'), { recursive: true });
    writeFileSync(
      join(repoRoot, '.bench-results', 'ui.json'),
      `${JSON.stringify(
        {
          patients: PATIENTS,
          loadAverage: loadavg(),
          bundle: { totalGzipBytes: bundle.total, assets: bundle.rows },
          seedMs,
          initialSyncMs: syncMs,
          firstSchedule: {
            fromSpawnMs: first.fromSpawnMs,
            fromNavigationMs: first.fromNavigationMs,
          },
          search: { samples, median, p95 },
          targets: TARGETS,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await browser?.close();
    await station?.stop();
    await server.stop();
    scratch.remove();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
