// The clipped straight-through estimator of step/sign layers (`straightThrough: true`).
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose } from '../setup';

beforeAll(async () => { await ready(); });

const flat = (t: nn.Tensor | null) => Array.from(t!.dataSync());

describe('straightThrough', () => {
  it('activation layer: dy where |x| <= 1 with the option, zero without', () => {
    const xs = [-3, -1, -0.999, -0.2, 0, 0.5, 1, 1.0001, 7];
    const dy = rand(xs.length, 2);
    for (const name of ['sign', 'step'] as const) {
      const ste = nn.layers.activation({ activation: name, straightThrough: true });
      const plain = nn.layers.activation({ activation: name });
      const x = nn.tensor(xs);
      const weighted = (l: nn.layers.Layer) => (x: nn.Tensor) => nn.mul(l.apply(x) as nn.Tensor, nn.tensor(dy));
      // the forward is unchanged
      expect(flat(ste.apply(x) as nn.Tensor)).toEqual(flat(plain.apply(x) as nn.Tensor));
      expect(flat(nn.grads(weighted(ste))([x])[0])).toEqual(xs.map((v, i) => (Math.abs(v) <= 1 ? Math.fround(dy[i]) : 0)));
      expect(flat(nn.grads(weighted(plain))([x])[0])).toEqual(xs.map(() => 0));
    }
  });

  it('dense layer: gradients flow to x, kernel and bias through the clipped estimator', () => {
    const x = nn.tensor(rand(4 * 3, 3), [4, 3]);
    const make = (straightThrough?: boolean) => {
      const l = nn.layers.dense({ units: 2, activation: 'sign', straightThrough, kernelInitializer: nn.initializers.constant({ value: 0 }) });
      l.apply(x);
      l.setWeights([nn.tensor([[0.9, -2], [0.3, 1.5], [-0.7, 0.4]]), nn.tensor([0.1, -0.2])]);
      return l as nn.layers.Dense;
    };
    const ste = make(true), plain = make();
    const grads = (l: nn.layers.Dense) => nn.grads((x: nn.Tensor, w: nn.Tensor, b: nn.Tensor) =>
      l.apply(x) as nn.Tensor)([x, l.kernel!.value, l.bias!.value]);
    // reference: z = xW + b; dz = |z| <= 1 ? 1 : 0; dx = dz Wᵀ, dW = xᵀ dz, db = Σ dz
    const X = x.arraySync() as number[][], W = [[0.9, -2], [0.3, 1.5], [-0.7, 0.4]], B = [0.1, -0.2];
    const dz = X.map((r) => [0, 1].map((j) => (Math.abs(r[0] * W[0][j] + r[1] * W[1][j] + r[2] * W[2][j] + B[j]) <= 1 ? 1 : 0)));
    expect(dz.flat().some((v) => v === 0) && dz.flat().some((v) => v === 1)).toBe(true); // both cases occur
    const [gx, gw, gb] = grads(ste);
    expectClose(flat(gx), X.flatMap((_, i) => [0, 1, 2].map((c) => dz[i][0] * W[c][0] + dz[i][1] * W[c][1])), 1e-6, 'dx');
    expectClose(flat(gw), [0, 1, 2].flatMap((c) => [0, 1].map((j) => X.reduce((s, r, i) => s + r[c] * dz[i][j], 0))), 1e-6, 'dW');
    expectClose(flat(gb), [0, 1].map((j) => dz.reduce((s, r) => s + r[j], 0)), 1e-6, 'db');
    for (const g of grads(plain)) expect(flat(g).every((v) => v === 0)).toBe(true);
  });

  it('is saved in the config, loads back, and is refused for other activations', async () => {
    const m = nn.sequential({ layers: [
      nn.layers.dense({ units: 3, inputShape: [2], activation: 'step', straightThrough: true }),
      nn.layers.activation({ activation: 'sign', straightThrough: true }),
      nn.layers.dense({ units: 1, activation: 'sign' }),
    ] });
    expect(m.getLayer(0).getConfig().straightThrough).toBe(true);
    expect(m.getLayer(1).getConfig().straightThrough).toBe(true);
    expect('straightThrough' in m.getLayer(2).getConfig()).toBe(false); // tfjs' own config when off
    const h = nn.io.memory();
    await m.save(h);
    const back = await nn.loadLayersModel(h);
    expect((back.getLayer(0) as nn.layers.Dense).activation.straightThrough).toBe(true);
    expect((back.getLayer(1) as nn.layers.ActivationLayer).activation.straightThrough).toBe(true);
    expect((back.getLayer(2) as nn.layers.Dense).activation.straightThrough).toBeFalsy();
    expect(() => nn.layers.dense({ units: 1, activation: 'relu', straightThrough: true }))
      .toThrow(/dense_\d+: straightThrough applies to the step and sign activations only \(got 'relu'\)/);
    expect(() => nn.layers.activation({ activation: 'tanh', straightThrough: true })).toThrow(/straightThrough applies/);
  });

  it('a sign-output perceptron trains with it on a separable set (and not without)', async () => {
    // 200 points in [-1, 1]², labels ±1 by the line 0.8·x0 - 0.6·x1 + 0.1, with a margin of 0.05
    const pts: number[][] = [], labels: number[][] = [];
    const r = rand(800, 17);
    for (let i = 0; i + 1 < r.length && pts.length < 200; i += 2) {
      const s = 0.8 * r[i] - 0.6 * r[i + 1] + 0.1;
      if (Math.abs(s) < 0.05) continue;
      pts.push([r[i], r[i + 1]]);
      labels.push([s > 0 ? 1 : -1]);
    }
    const accuracy = (m: nn.Model) => {
      const p = m.predict(pts).dataSync();
      return labels.filter((l, i) => l[0] === p[i]).length / labels.length;
    };
    const train = async (straightThrough: boolean) => {
      nn.setSeed(7);
      const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2], activation: 'sign', straightThrough })] });
      m.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.01 }), loss: 'meanSquaredError' });
      const w0 = m.getWeights().flatMap(flat);
      await m.fit(pts, labels, { epochs: 30, batchSize: 10, verbose: 0 });
      return { acc: accuracy(m), moved: m.getWeights().flatMap(flat).some((v, i) => v !== w0[i]) };
    };
    const ste = await train(true);
    expect(ste.acc).toBeGreaterThanOrEqual(0.97);
    const plain = await train(false);
    expect(plain.moved).toBe(false); // zero gradient: nothing to learn from
  });
});
