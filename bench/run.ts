// `npm run bench`: every benchmark suite in turn, each in its own process (so one suite's heap
// and open files do not colour the next). Each suite prints its table and writes
// .bench-results/<suite>.json. Sizes follow BENCH_SCALE (see each suite's header).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const suites = ['storage', 'server', 'desktop', 'ui'];
const only = process.argv.slice(2);

let failed = false;
for (const suite of suites) {
  if (only.length > 0 && !only.includes(suite)) continue;
  const entry = join(benchDir, suite, 'run.ts');
  if (!existsSync(entry)) {
    console.log(`\n== ${suite}: not built yet (no ${join('bench', suite, 'run.ts')})`);
    continue;
  }
  console.log(`\n== ${suite}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', entry], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`== ${suite} failed (exit ${String(run.status ?? run.signal)})`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
