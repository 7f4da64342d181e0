// Runs `npm run build` unless build/ is already newer than everything it is built from, so
// `npm start` and CI after `npm ci` (whose `prepare` already built) do not rebuild for nothing.
// Usage: node scripts/build-if-stale.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const sources = ['assembly', 'src', 'rollup.config.mjs', 'tsconfig.json', 'package.json'];
const outputs = ['build/simdnn.mjs', 'build/simdnn.cjs', 'build/simdnn.js', 'build/simdnn.d.ts', 'build/simdnn.d.mts',
  'build/internal/simdnn.d.mts', 'build/internal/simdnn.mjs'];

/** The newest modification time under a file or directory. */
function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs);
}

const missing = outputs.filter((f) => !existsSync(join(root, f)));
const oldestOutput = missing.length ? -Infinity : Math.min(...outputs.map((f) => statSync(join(root, f)).mtimeMs));
const newestSource = Math.max(...sources.map((s) => newest(join(root, s))));
if (missing.length === 0 && oldestOutput > newestSource) {
  console.log('build/ is up to date');
} else {
  const npm = process.env.npm_execpath;
  const [cmd, args] = npm ? [process.execPath, [npm, 'run', 'build']] : ['npm', ['run', 'build']];
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', shell: !npm && process.platform === 'win32' });
  process.exit(r.status ?? 1);
}
