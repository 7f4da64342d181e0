// The libraries a workload can run on. load() runs inside the child process and returns the
// context workloads receive: { kind: 'simdnn', nn } or { kind: 'tfjs', tf }, plus notes.
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const version = (pkg) => JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')).version;
const ownVersion = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

async function loadSimdnn(relaxedSimd, bundle = new URL('../build/simdnn.mjs', import.meta.url).href) {
  const nn = await import(bundle);
  await nn.ready({ relaxedSimd });
  const info = nn.backendInfo();
  if (relaxedSimd && !info.relaxedSimd) throw new Error('relaxed SIMD is not available in this runtime');
  return { kind: 'simdnn', nn, notes: `SIMD on${info.relaxedSimd ? ' (relaxed, FMA)' : ''}, ${info.threads} thread` };
}

async function loadTfjs(backend) {
  const tf = require('@tensorflow/tfjs-core');
  let notes = '';
  if (backend === 'wasm') {
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    // In Node the backend reads its .wasm files from a directory path given with a trailing slash.
    wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm')) + '/');
    wasm.setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: the wasm backend failed to initialize');
    await tf.ready();
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    notes = `SIMD ${simd ? 'on' : 'off'}, ${wasm.getThreadsCount()} thread`;
  } else {
    require('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error('tfjs: the cpu backend failed to initialize');
    await tf.ready();
  }
  return { kind: 'tfjs', tf, tfl: require('@tensorflow/tfjs-layers'), notes };
}

/** simdnn from another build directory (a copy of build/ saved before a change), as `base` and
 *  `base-relaxed`: `--baseline DIR` runs it beside the current build, taking turns with it. */
export function baselineBackends(dir) {
  const bundle = pathToFileURL(resolve(dir, 'simdnn.mjs')).href;
  return {
    base: { peer: `simdnn@${ownVersion} (${dir})`, backend: 'simd', nodeArgs: [], load: () => loadSimdnn(false, bundle) },
    'base-relaxed': { peer: `simdnn@${ownVersion} (${dir})`, backend: 'relaxed-simd', nodeArgs: ['--experimental-wasm-relaxed-simd'],
      load: () => loadSimdnn(true, bundle) },
  };
}

export const backends = {
  simdnn: { peer: `simdnn@${ownVersion}`, backend: 'simd', nodeArgs: [], load: () => loadSimdnn(false) },
  'simdnn-relaxed': { peer: `simdnn@${ownVersion}`, backend: 'relaxed-simd', nodeArgs: ['--experimental-wasm-relaxed-simd'],
    load: () => loadSimdnn(true) },
  'tfjs-wasm': { peer: `tfjs@${version('@tensorflow/tfjs-core')}`, backend: 'wasm', nodeArgs: [], load: () => loadTfjs('wasm') },
  'tfjs-cpu': { peer: `tfjs@${version('@tensorflow/tfjs-core')}`, backend: 'cpu', nodeArgs: [], load: () => loadTfjs('cpu') },
};
