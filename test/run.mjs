// Runs the test suite in every runtime: Node (default and relaxed-SIMD builds), Deno, and headless
// Chromium. Ends with one line `N passed, N failed` over all of them. A runtime that is missing
// (no Chromium, no Deno) fails the run, so CI cannot pass without testing it; SIMDNN_ALLOW_SKIP=1
// (for a local machine, never CI) reports it as skipped instead.
// Usage: node test/run.mjs [node|deno|browser ...] [-- extra vitest args]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const wanted = sep < 0 ? argv : argv.slice(0, sep);
const extra = sep < 0 ? [] : argv.slice(sep + 1);
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const vitestBin = 'node_modules/vitest/vitest.mjs';
const denoBin = 'node_modules/.bin/deno';
const allowSkip = process.env.SIMDNN_ALLOW_SKIP === '1';

const runners = [
  { name: 'node', cmd: process.execPath, args: [vitestBin, 'run', '--project', 'node', '--project', 'node-relaxed'], env: { SIMDNN_EXPECT_RUNTIME: 'node' } },
  { name: 'deno', cmd: denoBin, args: ['run', '-A', vitestBin, 'run', '--project', 'node'], env: { SIMDNN_EXPECT_RUNTIME: 'deno' },
    skip: () => (existsSync(denoBin) ? null : `no Deno at ${denoBin} (npm ci installs it)`) },
  { name: 'browser', cmd: process.execPath, args: [vitestBin, 'run', '--project', 'browser'], env: {},
    skip: () => (existsSync(chromium) ? null : `no Chromium at ${chromium} (apt-get install -y chromium)`) },
].filter((r) => wanted.length === 0 || wanted.includes(r.name));

const dir = mkdtempSync(join(tmpdir(), 'simdnn-test-'));
let passed = 0, failed = 0, skipped = 0;
const summary = [];
for (const r of runners) {
  const why = r.skip?.();
  if (why && allowSkip) { console.log(`\n=== ${r.name}: SKIPPED (${why})`); summary.push(`${r.name}: skipped (${why})`); skipped++; continue; }
  if (why) {
    console.log(`\n=== ${r.name}: MISSING (${why})`);
    summary.push(`${r.name}: failed, runner missing (${why}; SIMDNN_ALLOW_SKIP=1 skips it locally)`);
    failed++;
    continue;
  }
  console.log(`\n=== ${r.name}`);
  const out = join(dir, `${r.name}.json`);
  const res = spawnSync(r.cmd, [...r.args, '--config', 'test/vitest.config.mjs', '--reporter=default',
    '--reporter=json', `--outputFile.json=${out}`, ...extra], { stdio: 'inherit', env: { ...process.env, ...r.env } });
  if (!existsSync(out)) {
    failed++;
    summary.push(`${r.name}: the runner crashed (exit ${res.status ?? res.signal}) before reporting`);
    continue;
  }
  const rep = JSON.parse(readFileSync(out, 'utf8'));
  const suiteFailures = (rep.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  passed += rep.numPassedTests;
  failed += rep.numFailedTests + suiteFailures;
  skipped += rep.numPendingTests + (rep.numTodoTests ?? 0);
  summary.push(`${r.name}: ${rep.numPassedTests} passed, ${rep.numFailedTests + suiteFailures} failed`);
  if (res.status !== 0 && rep.numFailedTests + suiteFailures === 0) {
    failed++;
    summary.push(`${r.name}: exited ${res.status} with no failed test reported`);
  }
}
rmSync(dir, { recursive: true, force: true });
console.log('\n' + summary.join('\n'));
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
