#!/usr/bin/env node
// Renderer bundle-size budget: gzips every JS and CSS file that dist/renderer/index.html loads at
// start (<script src>, <link rel="stylesheet">, <link rel="modulepreload">), sums them and fails
// above package.json `config.rendererBudgetKb` (KiB, gzipped). Lazily imported chunks are not
// counted: they do not delay the first window.
//
//   node scripts/check-bundle-size.mjs [--dir dist/renderer] [--budget-kb N]
//
// Exit codes: 0 within budget, 1 over budget or a broken build, 2 bad usage.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const KIB = 1024;

class CheckFailure extends Error {}

/** @returns {{ dir: string, budgetKb: number }} */
function readOptions() {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: join(repoRoot, 'dist', 'renderer') },
      'budget-kb': { type: 'string' },
    },
  });
  const budgetText =
    values['budget-kb'] ??
    JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).config?.rendererBudgetKb;
  const budgetKb = Number(budgetText);
  if (!Number.isFinite(budgetKb) || budgetKb <= 0) {
    throw new Error(
      'no renderer budget: set package.json config.rendererBudgetKb or pass --budget-kb',
    );
  }
  return { dir: resolve(values.dir), budgetKb };
}

/** @param {string} tag @returns {Map<string, string>} lower-cased attribute names to values */
function attributesOf(tag) {
  const attributes = new Map();
  const body = tag.replace(/^<\w+/, '').replace(/\/?>$/, '');
  for (const match of body.matchAll(/([^\s=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g)) {
    attributes.set(match[1].toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

/** The asset URLs index.html loads at start, in document order, without duplicates. */
function initialAssetUrls(html) {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  const urls = [];
  for (const [tag, name] of withoutComments.matchAll(/<(script|link)\b[^>]*>/gi)) {
    const attributes = attributesOf(tag);
    if (name.toLowerCase() === 'script') {
      if (attributes.get('src')) urls.push(attributes.get('src'));
      continue;
    }
    const rel = (attributes.get('rel') ?? '').toLowerCase().split(/\s+/);
    if ((rel.includes('stylesheet') || rel.includes('modulepreload')) && attributes.get('href')) {
      urls.push(attributes.get('href'));
    }
  }
  return [...new Set(urls)];
}

/** Maps an asset URL from index.html to its file under dir; remote or escaping URLs fail. */
function assetPath(dir, url) {
  if (/^([a-z][a-z0-9+.-]*:|\/\/)/i.test(url)) {
    throw new CheckFailure(`index.html loads a remote asset at start: ${url}`);
  }
  const path = resolve(dir, decodeURI(url.replace(/[?#].*$/, '').replace(/^\/+/, '')));
  if (path !== dir && !path.startsWith(dir + sep)) {
    throw new CheckFailure(`asset outside ${dir}: ${url}`);
  }
  if (!existsSync(path)) throw new CheckFailure(`index.html references a missing asset: ${url}`);
  return path;
}

function formatKib(bytes) {
  return (bytes / KIB).toFixed(1);
}

/**
 * What the first window loads: each initial asset's raw and gzipped size, and the gzipped total.
 * @param {string} dir the built renderer
 * @returns {{ rows: { name: string, raw: number, gzip: number }[], total: number }}
 */
export function measureInitialLoad(dir) {
  const indexPath = join(dir, 'index.html');
  if (!existsSync(indexPath)) {
    throw new CheckFailure(`${indexPath} not found: run \`npm run build:renderer\` first`);
  }
  const urls = initialAssetUrls(readFileSync(indexPath, 'utf8'));
  if (urls.length === 0) throw new CheckFailure(`${indexPath} loads no script or stylesheet`);

  const rows = urls.map((url) => {
    const path = assetPath(dir, url);
    const content = readFileSync(path);
    return { name: relative(dir, path), raw: content.length, gzip: gzipSync(content).length };
  });
  return { rows, total: rows.reduce((sum, row) => sum + row.gzip, 0) };
}

function main() {
  const { dir, budgetKb } = readOptions();
  const { rows, total } = measureInitialLoad(dir);
  const budgetBytes = budgetKb * KIB;

  const nameWidth = Math.max('asset'.length, 'total'.length, ...rows.map((row) => row.name.length));
  const line = (name, raw, gzip) =>
    `${name.padEnd(nameWidth)}  ${raw.padStart(9)}  ${gzip.padStart(9)}`;
  console.log(line('asset', 'raw KiB', 'gzip KiB'));
  for (const row of rows) console.log(line(row.name, formatKib(row.raw), formatKib(row.gzip)));
  console.log(
    line('total', formatKib(rows.reduce((sum, row) => sum + row.raw, 0)), formatKib(total)),
  );
  console.log(`budget: ${budgetKb} KiB gzipped (package.json config.rendererBudgetKb)`);

  if (total > budgetBytes) {
    throw new CheckFailure(
      `renderer initial load is ${formatKib(total)} KiB gzipped, over the ${budgetKb} KiB budget`,
    );
  }
  console.log(`OK: ${formatKib(total)} KiB of ${budgetKb} KiB`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (error) {
    const isCheckFailure = error instanceof CheckFailure;
    console.error(`check-bundle-size: ${isCheckFailure ? 'FAIL: ' : ''}${error.message}`);
    process.exitCode = isCheckFailure ? 1 : 2;
  }
}
