import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const script = join(dirname(fileURLToPath(import.meta.url)), 'check-bundle-size.mjs');

/** Runs the checker as CI does, in its own process. */
function runCheck(args: string[]) {
  const result = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  return { status: result.status, output: result.stdout + result.stderr };
}

const KIB = 1024;

describe('check-bundle-size', () => {
  let dist: string;

  beforeEach(() => {
    dist = mkdtempSync(join(tmpdir(), 'bundle-size-'));
    mkdirSync(join(dist, 'assets'));
  });
  afterEach(() => rmSync(dist, { recursive: true, force: true }));

  /** Random bytes do not compress, so the gzipped size is known to within a few hundred bytes. */
  function writeAsset(name: string, kib: number) {
    writeFileSync(join(dist, 'assets', name), randomBytes(kib * KIB));
  }

  function writeIndex(head: string) {
    writeFileSync(
      join(dist, 'index.html'),
      `<!doctype html><html><head>${head}</head><body></body></html>`,
    );
  }

  const viteHead = [
    '<script type="module" crossorigin src="./assets/index-a1.js"></script>',
    '<link rel="modulepreload" crossorigin href="./assets/vendor-b2.js">',
    "<link rel='stylesheet' crossorigin href='/assets/index-c3.css'>",
    '<link rel="icon" href="./assets/icon.png">',
    '<!-- <script src="./assets/commented-out.js"></script> -->',
  ].join('\n');

  it('sums the gzipped initial assets and passes within the budget', () => {
    writeAsset('index-a1.js', 10);
    writeAsset('vendor-b2.js', 20);
    writeAsset('index-c3.css', 5);
    writeAsset('icon.png', 50);
    writeAsset('lazy-chunk.js', 100);
    writeIndex(viteHead);

    const { status, output } = runCheck(['--dir', dist, '--budget-kb', '40']);

    expect(output).toMatch(/assets\/index-a1\.js/);
    expect(output).toMatch(/assets\/vendor-b2\.js/);
    expect(output).toMatch(/assets\/index-c3\.css/);
    expect(output).not.toMatch(/icon\.png|lazy-chunk|commented-out/);
    const total = /^total\s+\S+\s+(\S+)$/m.exec(output);
    expect(Number(total?.[1])).toBeGreaterThanOrEqual(35);
    expect(Number(total?.[1])).toBeLessThan(36);
    expect(status).toBe(0);
  });

  it('fails when the initial load is over the budget', () => {
    writeAsset('index-a1.js', 10);
    writeAsset('vendor-b2.js', 20);
    writeAsset('index-c3.css', 5);
    writeIndex(viteHead);

    const { status, output } = runCheck(['--dir', dist, '--budget-kb', '30']);

    expect(output).toMatch(/over the 30 KiB budget/);
    expect(status).toBe(1);
  });

  it('fails on a referenced asset that is missing', () => {
    writeAsset('index-a1.js', 1);
    writeIndex(
      '<script type="module" src="./assets/index-a1.js"></script><link rel="stylesheet" href="./assets/gone.css">',
    );

    const { status, output } = runCheck(['--dir', dist, '--budget-kb', '250']);

    expect(output).toMatch(/missing asset: \.\/assets\/gone\.css/);
    expect(status).toBe(1);
  });

  it('fails when the app would load a remote asset at start', () => {
    writeAsset('index-a1.js', 1);
    writeIndex(
      '<script src="./assets/index-a1.js"></script><script src="https://cdn.example/x.js"></script>',
    );

    const { status, output } = runCheck(['--dir', dist, '--budget-kb', '250']);

    expect(output).toMatch(/remote asset/);
    expect(status).toBe(1);
  });

  it('fails when there is no build', () => {
    const { status, output } = runCheck([
      '--dir',
      join(dist, 'nothing-here'),
      '--budget-kb',
      '250',
    ]);

    expect(output).toMatch(/build:renderer/);
    expect(status).toBe(1);
  });

  it('reads the budget from package.json config.rendererBudgetKb by default', () => {
    writeAsset('index-a1.js', 1);
    writeIndex('<script type="module" src="./assets/index-a1.js"></script>');

    const { status, output } = runCheck(['--dir', dist]);

    const packageJson = JSON.parse(
      readFileSync(join(dirname(script), '..', 'package.json'), 'utf8'),
    );
    const budgetKb: unknown = packageJson.config?.rendererBudgetKb;
    expect(budgetKb).toBeTypeOf('number');
    expect(output).toContain(`budget: ${String(budgetKb)} KiB`);
    expect(status).toBe(0);
  });
});
