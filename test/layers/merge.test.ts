// Merge layers: finite-difference gradients for each, tfjs-layers parity (forward and every input's
// gradient), broadcasting as tfjs merges do, functional graphs, and clear errors.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, checkGrad, expectClose } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';
import { compareWithTfjs } from './tfjs-compare';

beforeAll(async () => { await ready(); await tfReady(); });

const ELEMENTWISE = ['add', 'multiply', 'average', 'maximum', 'minimum'] as const;

describe('merge layer gradients (central differences)', () => {
  for (const name of [...ELEMENTWISE, 'subtract'] as const) {
    it(`${name}`, () => {
      const layer = nn.layers[name]();
      const n = name === 'subtract' ? 2 : 3;
      const xs = Array.from({ length: n }, (_, i) => nn.tensor(rand(2 * 5, 10 + i), [2, 5]));
      const w = nn.tensor(rand(10, 3), [2, 5]);
      checkGrad((...ins) => nn.mul(layer.apply(ins) as nn.Tensor, w), xs);
    });
  }

  for (const axis of [-1, 1, 2]) {
    it(`concatenate on axis ${axis}`, () => {
      const layer = nn.layers.concatenate({ axis });
      const shapes = axis === 1 ? [[2, 1, 3], [2, 2, 3]] : [[2, 2, 1], [2, 2, 3]];
      const xs = shapes.map((s, i) => nn.tensor(rand(s[0] * s[1] * s[2], 20 + i), s));
      const w = nn.tensor(rand(2 * (axis === 1 ? 3 * 3 : 2 * 4), 4), axis === 1 ? [2, 3, 3] : [2, 2, 4]);
      checkGrad((a, b) => nn.mul(layer.apply([a, b]) as nn.Tensor, w), xs);
    });
  }

  it('broadcast inputs get their gradients summed back', () => {
    for (const name of ELEMENTWISE) {
      const layer = nn.layers[name]();
      const w = nn.tensor(rand(2 * 3 * 4, 5), [2, 3, 4]);
      checkGrad((a, b) => nn.mul(layer.apply([a, b]) as nn.Tensor, w), [nn.tensor(rand(24, 6), [2, 3, 4]), nn.tensor(rand(8, 7), [2, 4])]);
    }
  });
});

describe('merge layers match tfjs-layers', () => {
  const tfName = { add: 'add', multiply: 'multiply', average: 'average', maximum: 'maximum', minimum: 'minimum' } as const;
  for (const name of ELEMENTWISE) {
    it(`${name}: same shapes, broadcast sizes, and a lower-rank input (expanded at axis 1)`, () => {
      // tfjs' maximum/minimum gradients fail on broadcast inputs; those are checked by central differences above
      const broadcast = name === 'maximum' || name === 'minimum' ? [] : [[[2, 3, 4], [2, 1, 4]], [[2, 3, 2, 4], [2, 4]]];
      for (const shapes of [[[3, 4], [3, 4], [3, 4]], ...broadcast]) {
        compareWithTfjs(nn.layers[name](), (tfl.layers as any)[tfName[name]](), shapes);
      }
    });
  }
  for (const axis of [-1, 1, 2]) {
    it(`concatenate on axis ${axis}`, () => {
      const shapes = axis === 1 ? [[2, 1, 3], [2, 2, 3], [2, 4, 3]] : [[2, 2, 1], [2, 2, 3]];
      compareWithTfjs(nn.layers.concatenate({ axis }), tfl.layers.concatenate({ axis }), shapes);
    });
  }
  it('subtract is a − b (tfjs-layers has no Subtract)', () => {
    const a = nn.tensor(rand(6, 1), [2, 3]), b = nn.tensor(rand(6, 2), [2, 3]);
    expectClose((nn.layers.subtract().apply([a, b]) as nn.Tensor).dataSync(), tf.sub(tf.tensor(a.dataSync()), tf.tensor(b.dataSync())).dataSync() as Float32Array, 1e-7);
  });
});

describe('merge layers in functional graphs', () => {
  it('symbolic shapes, summary, and every layer saved and loaded (here and in tfjs)', async () => {
    const a = nn.input({ shape: [4] }), b = nn.input({ shape: [4] });
    const d = nn.layers.dense({ units: 4 }).apply(a);
    const outs = [
      nn.layers.add().apply([d, b]), nn.layers.multiply().apply([d, b]), nn.layers.average().apply([d, b, a]),
      nn.layers.maximum().apply([d, b]), nn.layers.minimum().apply([d, b]),
    ];
    const cat = nn.layers.concatenate().apply(outs);
    expect(cat.shape).toEqual([null, 20]);
    const m = nn.model({ inputs: [a, b], outputs: cat });
    const lines: string[] = [];
    m.summary(80, undefined, (l) => lines.push(l));
    expect(lines.some((l) => /concatenate_\d+ \(Concatenate\)\s+\[null,20\]\s+0/.test(l))).toBe(true);
    const xa = nn.tensor(rand(12, 1), [3, 4]), xb = nn.tensor(rand(12, 2), [3, 4]);
    const y = m.apply([xa, xb]) as nn.Tensor;
    const handler = nn.io.memory();
    await m.save(handler);
    const back = await nn.loadLayersModel(handler);
    expect(Array.from((back.apply([xa, xb]) as nn.Tensor).dataSync())).toEqual(Array.from(y.dataSync()));
    const t = await tfl.loadLayersModel({ load: async () => ({ modelTopology: handler.modelTopology, weightSpecs: handler.weightSpecs, weightData: handler.weightData }) } as any);
    expectClose((t.predict([tf.tensor(xa.dataSync(), [3, 4]), tf.tensor(xb.dataSync(), [3, 4])]) as any).dataSync(), y.dataSync(), 1e-5, 'tfjs');
  });

  it('refuses bad merges with errors naming the layer and the shapes', () => {
    const a = nn.input({ shape: [4] }), b = nn.input({ shape: [5] }), c = nn.input({ shape: [2, 4] });
    expect(() => nn.layers.add({ name: 'sum' }).apply([a, b])).toThrow(/sum \(Add\): needs inputs of the same shape \(or shapes that broadcast\), got \[null,4\], \[null,5\]/);
    expect(() => nn.layers.add({ name: 'one' }).apply([a])).toThrow(/one \(Add\): takes a list of at least 2 inputs, got 1/);
    expect(() => nn.layers.add({ name: 'none' }).apply([] as nn.layers.SymbolicTensor[])).toThrow(/none \(Add\): takes a list of at least 2 inputs, got 0/);
    expect(() => nn.layers.multiply({ name: 'single' }).apply(a)).toThrow(/single \(Multiply\): takes a list of at least 2 inputs, got a single input/);
    expect(() => nn.layers.subtract({ name: 'diff' }).apply([a, a, a])).toThrow(/diff \(Subtract\): takes exactly 2 inputs, got 3/);
    expect(() => nn.layers.concatenate({ name: 'cat' }).apply([a, c])).toThrow(/cat \(Concatenate\): needs inputs of the same shape except along the concatenation axis -1, got \[null,4\], \[null,2,4\]/);
    expect(() => nn.layers.concatenate({ axis: 0, name: 'cat0' }).apply([a, a])).toThrow(/cat0: cannot concatenate along the batch axis/);
    expect(() => nn.layers.concatenate({ axis: 3, name: 'cat3' }).apply([a, a])).toThrow(/cat3: axis 3 is out of range for inputs \[null,4\], \[null,4\]/);
    // concrete tensors are checked the same way, before anything is allocated
    const layer = nn.layers.maximum({ name: 'mx' });
    const x = nn.zeros([2, 3]), y = nn.zeros([2, 4]), z = nn.zeros([3, 3]);
    layer.apply([x, x]);
    const before = nn.memory();
    expect(() => layer.apply([x, y])).toThrow(/mx \(Maximum\): needs inputs of the same shape \(or shapes that broadcast\), got \[2,3\], \[2,4\]/);
    expect(() => layer.apply([x, z])).toThrow(/mx: cannot merge tensors with different batch sizes \(got \[2,3\], \[3,3\]\)/);
    expect(nn.memory()).toEqual(before);
  });
});
