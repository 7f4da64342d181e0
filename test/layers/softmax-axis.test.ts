// The softmax layer's axis: tfjs writes the last axis by its positive index (axis 1 for [null, n]);
// other axes run through a transpose and are checked against a direct computation and by gradients.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose, checkGrad } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

/** Softmax of x (row-major, `shape`) over `axis`, in f64. */
function softmaxRef(x: ArrayLike<number>, shape: number[], axis: number): Float64Array {
  const out = new Float64Array(x.length);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = shape[axis];
  const outer = x.length / (n * inner);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    const at = (j: number) => o * n * inner + j * inner + i;
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, x[at(j)]);
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(x[at(j)] - max);
    for (let j = 0; j < n; j++) out[at(j)] = Math.exp(x[at(j)] - max) / sum;
  }
  return out;
}

describe('softmax layer axis', () => {
  it("a tfjs model saved with axis 1 on [null, n] inputs loads, builds and predicts as tfjs", async () => {
    const tm = tfl.sequential({ layers: [tfl.layers.dense({ units: 5, inputShape: [3] }), tfl.layers.softmax({ axis: 1 })] });
    let saved: any;
    await tm.save({ save: async (a: any) => { saved = a; return { modelArtifactsInfo: {} as any }; } } as any);
    expect(saved.modelTopology.config.layers[1].config.axis).toBe(1);
    const m = await nn.loadLayersModel(nn.io.fromMemory(saved.modelTopology, saved.weightSpecs, saved.weightData));
    const x = rand(4 * 3, 2);
    expectClose(m.predict(nn.tensor(x, [4, 3])).dataSync(), (tm.predict(tf.tensor(x, [4, 3])) as any).dataSync(), 1e-6, 'predictions');
    // and it saves back with the axis it was given
    const h = nn.io.memory();
    await m.save(h);
    expect((h.modelTopology as any).config.layers[1].config.axis).toBe(1);
  });

  for (const [shape, axis] of [[[2, 3, 4], 1], [[2, 3, 4], -2], [[3, 5], 0], [[2, 2, 3, 2], 2], [[2, 3, 4], 2], [[2, 3, 4], -1]] as [number[], number][]) {
    it(`over axis ${axis} of ${JSON.stringify(shape)}: values and gradient`, () => {
      const layer = nn.layers.softmax({ axis });
      const xs = rand(shape.reduce((a, b) => a * b, 1), 3, -2, 2);
      const x = nn.tensor(xs, shape);
      const y = layer.apply(x) as nn.Tensor;
      expect(y.shape).toEqual(shape);
      const r = axis < 0 ? axis + shape.length : axis;
      expectClose(y.dataSync(), softmaxRef(xs, shape, r), 1e-6, 'softmax');
      // sum(softmax) is constant: weight the outputs so the gradient is not zero
      const w = nn.tensor(rand(xs.length, 4), shape);
      checkGrad((t) => nn.mul(layer.apply(t) as nn.Tensor, w), [x]);
    });
  }

  it('refuses an axis outside the input, naming the layer and the shape', () => {
    const layer = nn.layers.softmax({ axis: 3, name: 'sm' });
    expect(() => nn.sequential({ layers: [nn.layers.dense({ units: 4, inputShape: [2] }), layer] })).toThrow(/sm: axis 3 is out of range for input shape \[null,4\]/);
    const z = nn.zeros([2, 3]);
    const before = nn.memory();
    expect(() => nn.layers.softmax({ axis: -4, name: 'sm2' }).apply(z)).toThrow(/sm2: axis -4 is out of range for input shape \[2,3\]/);
    expect(() => nn.layers.softmax({ axis: 1.5 } as any)).toThrow(/axis must be an integer/);
    expect(nn.memory().numBytes).toBe(before.numBytes);
  });
});
