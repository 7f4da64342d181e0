// ready({ relaxedSimd: true }) takes the fused-multiply-add build exactly where the host validates
// relaxed SIMD, falls back silently elsewhere, and refuses to switch builds under live tensors.
// Runs in node (no relaxed SIMD on Node 20), node-relaxed (flag), Deno and Chromium (both have it).
import { describe, it, expect } from 'vitest';
import { nn } from '../setup';

const g = globalThis as any;
const runtime = typeof g.Deno !== 'undefined' ? 'deno' : typeof g.window !== 'undefined' ? 'browser' : 'node';
const nodeMajor = Number(g.process?.versions?.node?.split('.')[0] ?? 0);
// Node ≥ 22 ships a V8 with relaxed SIMD on; Node 20 needs --experimental-wasm-relaxed-simd.
const hostHasRelaxed = runtime !== 'node' || nodeMajor >= 22 || (g.process?.execArgv ?? []).includes('--experimental-wasm-relaxed-simd');

/** A seeded two-layer fit; the final weights' values. */
async function trainTiny(): Promise<number[]> {
  nn.setSeed(3);
  const m = nn.sequential({ layers: [
    nn.layers.dense({ units: 5, activation: 'tanh', inputShape: [3] }),
    nn.layers.dense({ units: 2 }),
  ] });
  m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
  const x = nn.tensor([0.1, -0.2, 0.3, 0.5, 0.4, -0.6, -0.7, 0.8, 0.9, 0.2, 0.1, 0.0], [4, 3]);
  const y = nn.tensor([1, 0, 0, 1, 1, 1, 0, 0], [4, 2]);
  await m.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0 });
  const ws = m.getWeights();
  const out = ws.flatMap((w) => Array.from(w.dataSync()));
  for (const t of [...ws, x, y]) t.dispose();
  m.dispose();
  return out;
}

describe('ready({ relaxedSimd })', () => {
  it('the relaxed-SIMD probe agrees with what this host is known to run', () => {
    expect(nn.internals.relaxedSimdSupported()).toBe(hostHasRelaxed);
  });

  it('uses the relaxed build where supported, falls back where not, and switches only without live tensors', async () => {
    await nn.ready();
    const defaultKernels = nn.internals.kernels();
    expect(nn.backendInfo().relaxedSimd).toBe(false);
    expect(nn.memory().numTensors).toBe(0);
    const before = await trainTiny();
    expect(nn.memory().numTensors).toBe(0);

    const t = nn.tensor([1, 2, 3]);
    if (hostHasRelaxed) {
      await expect(nn.ready({ relaxedSimd: true })).rejects.toThrow(
        /simdnn\.ready: cannot switch to the relaxed-SIMD build while 1 tensors live in the current one; dispose them first/);
      expect(nn.internals.kernels()).toBe(defaultKernels); // nothing changed: the tensor is still good
      expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
    } else {
      await nn.ready({ relaxedSimd: true }); // nothing to switch to: a no-op even with live tensors
      expect(nn.internals.kernels()).toBe(defaultKernels);
      expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
    }
    t.dispose();

    await nn.ready({ relaxedSimd: true });
    expect(nn.backendInfo().relaxedSimd).toBe(hostHasRelaxed);
    expect(nn.internals.kernels() !== defaultKernels).toBe(hostHasRelaxed);
    const relaxedRun = await trainTiny(); // caches keyed to the old module (scratch, optimizer state) were rebuilt
    expect(relaxedRun.every(Number.isFinite)).toBe(true);
    for (let i = 0; i < before.length; i++) expect(Math.abs(relaxedRun[i] - before[i])).toBeLessThan(1e-4);

    if (hostHasRelaxed) {
      const u = nn.tensor([4]);
      await expect(nn.ready()).rejects.toThrow(/cannot switch to the default SIMD build while 1 tensors live/);
      u.dispose();
    }
    await nn.ready();
    expect(nn.backendInfo().relaxedSimd).toBe(false);
    expect(await trainTiny()).toEqual(before); // back on the default build: the same bits as before any switch
  });

  it('concurrent calls never swap the module under tensors made in between', async () => {
    await nn.ready();
    expect(nn.memory().numTensors).toBe(0);
    let t!: nn.Tensor;
    const a = nn.ready().then(() => { t = nn.tensor([1, 2, 3]); });
    const b = nn.ready({ relaxedSimd: true }).then(() => 'switched', (e: Error) => e.message);
    await a;
    const outcome = await b;
    // either the switch ran before t was made, or it was refused because t was alive: never both
    if (outcome !== 'switched') expect(outcome).toMatch(/cannot switch to the relaxed-SIMD build while 1 tensors live/);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
    expect(nn.memory().numTensors).toBe(1);
    expect(nn.backendInfo().relaxedSimd).toBe(outcome === 'switched' && hostHasRelaxed);
    t.dispose();
    await nn.ready();
  });
});

