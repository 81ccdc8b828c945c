// `npm run build`: bundles the desktop's and the server's Node entry points with esbuild into
// out/ and builds the renderer with Vite into dist/renderer. electron-builder packages exactly
// these (electron-builder.yml `files`), with package.json `main` = out/main/main.js.
//
//   npx tsx scripts/build.ts [--skip-renderer] [--only-stale-renderer]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type BuildOptions } from 'esbuild';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Loaded from node_modules at run time, not bundled: native addons (rebuilt for Electron by
 * electron-builder), packages that start worker threads by file path (pino's transports), load
 * optional native helpers (mongodb), hook the module loader (Sentry), or are Electron itself.
 */
export const RUNTIME_EXTERNALS = [
  'electron',
  'electron-updater',
  'better-sqlite3',
  'argon2',
  'pino',
  'pino-roll',
  'thread-stream',
  'mongodb',
  '@sentry/electron',
  '@sentry/node',
];

/** ESM bundles still meet CommonJS code that calls require() or reads __dirname. */
const ESM_BANNER = [
  "import { createRequire as __topsmileCreateRequire } from 'node:module';",
  "import { fileURLToPath as __topsmileFileURLToPath } from 'node:url';",
  "import { dirname as __topsmileDirname } from 'node:path';",
  'const require = __topsmileCreateRequire(import.meta.url);',
  'const __filename = __topsmileFileURLToPath(import.meta.url);',
  'const __dirname = __topsmileDirname(__filename);',
].join('\n');

export interface BundleEntry {
  readonly name: string;
  readonly entry: string;
  readonly outfile: string;
}

export const BUNDLES: readonly BundleEntry[] = [
  { name: 'electron main', entry: 'main/electron/main.ts', outfile: 'out/main/main.js' },
  { name: 'core process', entry: 'main/core/core-process.ts', outfile: 'out/core/core-process.js' },
  { name: 'sync server', entry: 'sync-server/main.ts', outfile: 'out/sync-server/main.js' },
];

/** The sandboxed preload can require nothing but 'electron': everything else is bundled in. */
export const PRELOAD: BundleEntry = {
  name: 'preload',
  entry: 'main/electron/preload.ts',
  outfile: 'out/preload/preload.cjs',
};

function nodeBundle(entry: BundleEntry): BuildOptions {
  return {
    entryPoints: [join(repoRoot, entry.entry)],
    outfile: join(repoRoot, entry.outfile),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external: RUNTIME_EXTERNALS,
    banner: { js: ESM_BANNER },
    logLevel: 'warning',
    legalComments: 'none',
  };
}

function preloadBundle(entry: BundleEntry): BuildOptions {
  return {
    entryPoints: [join(repoRoot, entry.entry)],
    outfile: join(repoRoot, entry.outfile),
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome130',
    sourcemap: true,
    external: ['electron'],
    logLevel: 'warning',
    legalComments: 'none',
  };
}

export async function bundleNodeEntries(entries: readonly BundleEntry[] = BUNDLES): Promise<void> {
  const missing = entries.filter((entry) => !existsSync(join(repoRoot, entry.entry)));
  if (missing.length > 0) {
    throw new Error(`Missing entry points: ${missing.map((entry) => entry.entry).join(', ')}`);
  }
  await Promise.all([
    ...entries.map((entry) => build(nodeBundle(entry))),
    build(preloadBundle(PRELOAD)),
  ]);
}

function newestModification(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestModification(join(path, name)));
  }
  return newest;
}

/** True when dist/renderer is missing or older than what it is built from. */
export function rendererIsStale(): boolean {
  const built = join(repoRoot, 'dist', 'renderer', 'index.html');
  if (!existsSync(built)) return true;
  const sources = ['renderer', 'shared', 'vite.config.ts', 'package-lock.json'].map((path) =>
    join(repoRoot, path),
  );
  const newestSource = Math.max(...sources.filter(existsSync).map(newestModification));
  return newestSource > statSync(built).mtimeMs;
}

export function buildRenderer(): void {
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    { cwd: repoRoot, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error('The renderer build (vite build) failed.');
}

export interface BuildAllOptions {
  readonly renderer: 'always' | 'if-stale' | 'never';
}

export async function buildAll(options: BuildAllOptions = { renderer: 'always' }): Promise<void> {
  await bundleNodeEntries();
  if (options.renderer === 'always' || (options.renderer === 'if-stale' && rendererIsStale())) {
    buildRenderer();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'skip-renderer': { type: 'boolean' },
      'only-stale-renderer': { type: 'boolean' },
    },
  });
  const started = Date.now();
  await buildAll({
    renderer: values['skip-renderer']
      ? 'never'
      : values['only-stale-renderer']
        ? 'if-stale'
        : 'always',
  });
  console.log(`Built out/ and dist/renderer in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  });
}
