// wasm-peak (not in WORKLOADS.md; run automatically beside any workload marked `vsPeak`): the
// host's WebAssembly SIMD128 arithmetic ceiling, measured in the same run as the kernels it is a
// yardstick for. Twelve independent f32x4 multiply-add chains, no memory traffic (as
// shared/tools/wasm-peak): mul+add, or relaxed-SIMD fused madd on a backend that runs the relaxed
// build, so each backend is compared with the ceiling of the instructions it can use. The module is
// compiled here with asc (untimed, in prepare), so the bench needs no prebuilt side file.
// Caveat, measured with Node 20 (V8 11.3) on an AMD EPYC: these FMA chains run at ~36 GFLOP/s, below
// the mul+add chains (~44) and below the relaxed build's own 5x8 FMA micro-kernel (~55, fed from
// L1), so the relaxed backends' fractions of their ceiling can exceed 1 there.
import asc from 'assemblyscript/asc';

const CHAINS = 12;

function source(fma) {
  const madd = (acc) => (fma ? `f32x4.relaxed_madd(x, y, ${acc})` : `f32x4.add(${acc}, f32x4.mul(x, y))`);
  const accs = Array.from({ length: CHAINS }, (_, i) => `a${i}`);
  return `
export function peak(iters: i32): f32 {
  const x = f32x4.splat(1.0000001), k = f32x4.splat(0.99999994);
  let y = f32x4.splat(0.9999999);
  let ${accs.map((a) => `${a} = f32x4.splat(0)`).join(', ')};
  for (let i = 0; i < iters; i++) {
    ${accs.map((a) => `${a} = ${madd(a)};`).join(' ')}
    y = f32x4.mul(y, k); // a chain of its own: nothing can be hoisted out of the loop
  }
  let s = a0;
  ${accs.slice(1).map((a) => `s = f32x4.add(s, ${a});`).join(' ')}
  return f32x4.extract_lane(s, 0);
}`;
}

async function compile(fma) {
  const r = await asc.compileString(source(fma), { optimizeLevel: 3, runtime: 'stub', enable: fma ? ['simd', 'relaxed-simd'] : ['simd'] });
  if (r.error) throw new Error(`wasm-peak: asc failed: ${r.error.message} ${r.stderr.toString()}`);
  return r.binary;
}

export const workloads = [{
  name: 'wasm-peak',
  extra: true,
  metric: 'GFLOP/s',
  unit: 'GFLOP/s',
  async prepare(ctx) {
    const fma = ctx.kind === 'simdnn' && ctx.nn.backendInfo().relaxedSimd;
    const { instance } = await WebAssembly.instantiate(await compile(fma));
    const peak = instance.exports.peak;
    // A ceiling is the fastest repetition (`best`), not the median: on a shared machine most
    // repetitions lose time to other processes. Short ones (~0.5 ms) often run whole.
    const iters = 250_000;
    return {
      run: () => peak(iters),
      reps: () => 200,
      best: true,
      value: (ms) => (CHAINS * 4 * 2 * iters) / (ms * 1e6),
      notes: `${CHAINS} independent f32x4 ${fma ? 'relaxed_madd (FMA)' : 'mul+add'} chains, no memory traffic, ${iters} steps a repetition, fastest of 200`,
    };
  },
}];
