// Core layers against tfjs-layers and finite differences: dropout, flatten, reshape, activation;
// a functional graph with a residual connection; model.summary().
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand, checkGrad } from '../setup';
import { tfReady, tf, tfl } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

const apply = (layer: any, x: nn.Tensor, training = false) => layer.apply(x, { training }) as nn.Tensor;

describe('dropout layer', () => {
  it('is the identity at inference', () => {
    const x = nn.tensor(rand(4 * 6, 1), [4, 6]);
    const layer = nn.layers.dropout({ rate: 0.5 });
    expect(Array.from(apply(layer, x).dataSync())).toEqual(Array.from(x.dataSync()));
    // and in training with rate 0
    expect(Array.from(apply(nn.layers.dropout({ rate: 0 }), x, true).dataSync())).toEqual(Array.from(x.dataSync()));
  });

  it('in training drops a `rate` fraction and scales the kept values by 1/(1-rate)', () => {
    const n = 20000;
    for (const rate of [0.1, 0.3, 0.75]) {
      const x = nn.tensor(rand(n, 2, 0.5, 2), [200, 100]); // no zeros: a zero output means dropped
      const xv = x.dataSync();
      const y = apply(nn.layers.dropout({ rate }), x, true).dataSync();
      const scale = 1 / (1 - rate);
      let dropped = 0;
      for (let i = 0; i < n; i++) {
        if (y[i] === 0) { dropped++; continue; }
        const err = Math.abs(y[i] - xv[i] * scale) / (xv[i] * scale);
        if (err > 1e-6) throw new Error(`rate ${rate}: kept y[${i}] = ${y[i]}, expected ${xv[i] * scale}`);
      }
      // the dropped count is Binomial(n, rate): 5 standard deviations either side
      const sd = Math.sqrt(n * rate * (1 - rate));
      expect(Math.abs(dropped - n * rate), `rate ${rate}: ${dropped} of ${n} dropped`).toBeLessThan(5 * sd);
    }
  });

  it('draws a fresh mask on every training call', () => {
    const layer = nn.layers.dropout({ rate: 0.5 });
    const x = nn.ones([1, 64]);
    const a = apply(layer, x, true).dataSync(), b = apply(layer, x, true).dataSync();
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('passes the gradient only through the kept units, scaled like them', () => {
    const rate = 0.4, scale = 1 / (1 - rate);
    const layer = nn.layers.dropout({ rate });
    const x = nn.tensor(rand(8 * 16, 3, 0.5, 1.5), [8, 16]);
    const w = rand(8 * 16, 4);
    let y!: Float32Array;
    const { grads: [dx] } = nn.valueAndGrads((a) => {
      const out = apply(layer, a, true);
      y = out.dataSync();
      return nn.mul(out, nn.tensor(w, [8, 16]));
    })([x]);
    const g = dx.dataSync();
    let kept = 0;
    for (let i = 0; i < g.length; i++) {
      const expected = y[i] === 0 ? 0 : w[i] * scale;
      if (y[i] !== 0) kept++;
      expect(Math.abs(g[i] - expected), `dx[${i}]`).toBeLessThan(1e-6);
    }
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(g.length);
    // with the mask fixed by the seed, the gradient also passes a finite-difference check
    checkGrad((a) => { nn.setSeed(5); return nn.mul(apply(layer, a, true), nn.tensor(w, [8, 16])); }, [x]);
  });

  it('with a seed of its own: a fresh mask per call, the same sequence for the same seed whatever setSeed says', () => {
    const x = nn.ones([4, 32]);
    const masks = (layer: any, globalSeed: number) => {
      nn.setSeed(globalSeed);
      return [0, 1, 2].map(() => Array.from(apply(layer, x, true).dataSync()));
    };
    const a = masks(nn.layers.dropout({ rate: 0.5, seed: 9 }), 1);
    const b = masks(nn.layers.dropout({ rate: 0.5, seed: 9 }), 2);
    expect(b).toEqual(a);
    expect(a[1]).not.toEqual(a[0]);
    expect(a[2]).not.toEqual(a[1]);
    expect(masks(nn.layers.dropout({ rate: 0.5, seed: 10 }), 1)[0]).not.toEqual(a[0]);
    // and the global stream does not move for it
    nn.setSeed(3);
    const before = Array.from(nn.randomUniform([8]).dataSync());
    nn.setSeed(3);
    apply(nn.layers.dropout({ rate: 0.5, seed: 9 }), x, true);
    expect(Array.from(nn.randomUniform([8]).dataSync())).toEqual(before);
    expect(() => nn.layers.dropout({ rate: 0.5, seed: 1.5, name: 'drop_s' })).toThrow(/drop_s: seed must be an integer \(got 1.5\)/);
  });

  it('rejects a rate outside [0, 1), naming the layer', () => {
    expect(() => nn.layers.dropout({ rate: 1, name: 'drop_a' })).toThrow(/drop_a: rate must be in \[0, 1\), got 1/);
    expect(() => nn.layers.dropout({ rate: -0.1, name: 'drop_b' })).toThrow(/drop_b: rate must be in \[0, 1\), got -0.1/);
  });
});

describe('flatten and reshape layers', () => {
  it('flatten matches tfjs forward and output shape, and its gradient passes a finite-difference check', () => {
    const v = rand(2 * 3 * 4 * 5, 7);
    const y = apply(nn.layers.flatten(), nn.tensor(v, [2, 3, 4, 5]));
    const t = tfl.layers.flatten().apply(tf.tensor(v, [2, 3, 4, 5])) as any;
    expect(y.shape).toEqual(t.shape);
    expect(Array.from(y.dataSync())).toEqual(Array.from(t.dataSync()));
    const sym = nn.layers.flatten().apply(nn.input({ shape: [3, 4, 5] }));
    expect(sym.shape).toEqual([null, 60]);
    const w = nn.tensor(rand(2 * 60, 8), [2, 60]);
    checkGrad((a) => nn.mul(apply(nn.layers.flatten(), a), w), [nn.tensor(rand(2 * 3 * 4 * 5, 9), [2, 3, 4, 5])]);
  });

  it('flatten of a shape with unknown dimensions names the layer and the shape', () => {
    const inp = nn.input({ batchShape: [null, null, 3] });
    expect(() => nn.layers.flatten({ name: 'flat_x' }).apply(inp)).toThrow(/flat_x: cannot flatten input shape \[null,null,3\] with unknown dimensions/);
  });

  for (const targetShape of [[4, 6], [4, -1], [-1, 2, 3], [24]]) {
    it(`reshape to ${JSON.stringify(targetShape)} matches tfjs and passes a finite-difference check`, () => {
      const v = rand(2 * 3 * 8, 10);
      const y = apply(nn.layers.reshape({ targetShape }), nn.tensor(v, [2, 3, 8]));
      // a copy: tfjs rewrites the -1 in the array it is given
      const t = tfl.layers.reshape({ targetShape: targetShape.slice() }).apply(tf.tensor(v, [2, 3, 8])) as any;
      expect(y.shape).toEqual(t.shape);
      expect(Array.from(y.dataSync())).toEqual(Array.from(t.dataSync()));
      const sym = nn.layers.reshape({ targetShape }).apply(nn.input({ shape: [3, 8] }));
      expect(sym.shape).toEqual(t.shape.map((d: number, i: number) => (i === 0 ? null : d)));
      const w = nn.tensor(rand(y.size, 11), y.shape);
      checkGrad((a) => nn.mul(apply(nn.layers.reshape({ targetShape }), a), w), [nn.tensor(v, [2, 3, 8])]);
    });
  }

  it('reshape errors name the layer, the sample shape and the target', () => {
    const x = nn.zeros([2, 3, 8]);
    expect(() => apply(nn.layers.reshape({ targetShape: [5, 5], name: 'rs_a' }), x)).toThrow(/rs_a: cannot reshape samples of shape \[3,8\] to \[5,5\]/);
    expect(() => apply(nn.layers.reshape({ targetShape: [5, -1], name: 'rs_b' }), x)).toThrow(/rs_b: cannot reshape samples of shape \[3,8\] to \[5,-1\]/);
    expect(() => nn.layers.reshape({ targetShape: [4, 6], name: 'rs_c' }).apply(nn.input({ shape: [5] }))).toThrow(/rs_c: cannot reshape samples of shape \[5\] to \[4,6\]/);
    // a built layer applied to a different sample shape
    const layer = nn.layers.reshape({ targetShape: [6, 4], name: 'rs_d' });
    apply(layer, x);
    expect(() => apply(layer, nn.zeros([2, 5]))).toThrow(/rs_d: cannot reshape samples of shape \[5\] to \[6,4\]/);
  });

  it('reshape rejects a malformed target shape when it is made, naming the layer', () => {
    for (const targetShape of [[-1, -1], [0.5, 48], [-2, 12], [0, 4]]) {
      expect(() => nn.layers.reshape({ targetShape, name: 'rs_bad' }), JSON.stringify(targetShape))
        .toThrow(new RegExp(`rs_bad: .*targetShape.*\\[${targetShape.join(',')}\\]`));
    }
  });
});

describe('activation layer', () => {
  // every activation name tfjs-layers also has
  const shared: nn.ActivationIdentifier[] = ['linear', 'sigmoid', 'hardSigmoid', 'tanh', 'relu', 'relu6', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'gelu', 'softmax'];
  for (const name of shared) {
    it(`${name}: forward and gradient match tfjs`, () => {
      const v = rand(4 * 7, 13, -3, 3);
      const w = rand(4 * 7, 14);
      const layer = nn.layers.activation({ activation: name });
      const theirs = tfl.layers.activation({ activation: name as any });
      const x = nn.tensor(v, [4, 7]), tx = tf.tensor(v, [4, 7]);
      expectClose(apply(layer, x).dataSync(), (theirs.apply(tx) as any).dataSync(), 1e-5, `${name} forward`);
      const [gx] = nn.grads((a) => nn.mul(apply(layer, a), nn.tensor(w, [4, 7])))([x]);
      const tgx = tf.grad((a: any) => tf.sum(tf.mul(theirs.apply(a) as any, tf.tensor(w, [4, 7]))))(tx);
      expectClose(gx.dataSync(), tgx.dataSync(), 1e-5, `${name} gradient`);
    });
  }

  it('leakyRelu, step and sign (not tfjs activation names) follow their formulas; step and sign have zero gradient', () => {
    const v = rand(3 * 5, 15, -2, 2);
    v[0] = 0; // the kink
    const x = nn.tensor(v, [3, 5]);
    const formulas: Record<string, (u: number) => number> = {
      // the activation's slope is tf.leakyRelu's and Keras 3's 0.2 (the LeakyReLU layer's default is 0.3)
      leakyRelu: (u) => (u > 0 ? u : 0.2 * u), step: (u) => (u > 0 ? 1 : 0), sign: (u) => Math.sign(u),
    };
    for (const [name, f] of Object.entries(formulas)) {
      expectClose(apply(nn.layers.activation({ activation: name as nn.ActivationIdentifier }), x).dataSync(), Array.from(v, (u) => Math.fround(f(u))), 1e-6, name);
    }
    expectClose(apply(nn.layers.activation({ activation: 'leakyRelu' }), x).dataSync(), tf.leakyRelu(tf.tensor(v)).dataSync(), 1e-6, 'leakyRelu vs tfjs');
    for (const name of ['step', 'sign'] as const) {
      const [g] = nn.grads((a) => apply(nn.layers.activation({ activation: name }), a))([x]);
      expect(Array.from(g.dataSync()).every((d) => d === 0), name).toBe(true);
    }
  });

  it('an unknown name is rejected, naming the layer', () => {
    // @ts-expect-error: not an activation name
    expect(() => nn.layers.activation({ activation: 'nope', name: 'act_x' })).toThrow(/act_x: unknown activation 'nope'/);
  });
});

/** x + f(x) as a layer of its own, written with ops: a residual connection without an add layer. */
class ResidualAdd extends nn.layers.Layer {
  readonly className = 'ResidualAdd';
  call(inputs: nn.Tensor | nn.Tensor[]): nn.Tensor {
    const [a, b] = inputs as nn.Tensor[];
    return nn.add(a, b);
  }
  computeOutputShape(s: any): any { return s[0]; }
}

describe('functional graph with a residual connection', () => {
  it('predicts x + dense(x) like tfjs, trains, and differentiates through both branches', async () => {
    nn.setSeed(21);
    const inp = nn.input({ shape: [6] });
    const hidden = nn.layers.dense({ units: 6, activation: 'tanh' });
    const h = hidden.apply(inp);
    const sum = new ResidualAdd({}).apply([inp, h]);
    const out = nn.layers.dense({ units: 2 }).apply(sum);
    const m = nn.model({ inputs: inp, outputs: out });
    expect(m.countParams()).toBe(6 * 6 + 6 + 6 * 2 + 2);

    const tin = tfl.input({ shape: [6] });
    const th = tfl.layers.dense({ units: 6, activation: 'tanh' }).apply(tin) as any;
    const tout = tfl.layers.dense({ units: 2 }).apply(tfl.layers.add().apply([tin, th]) as any) as any;
    const tm = tfl.model({ inputs: tin, outputs: tout });
    tm.setWeights(m.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
    const xv = rand(5 * 6, 22);
    expectClose(m.predict(nn.tensor(xv, [5, 6])).dataSync(), (tm.predict(tf.tensor(xv, [5, 6])) as any).dataSync(), 1e-5, 'predict');

    // d/dx of the graph: the skip path contributes, so it differs from the gradient of dense∘dense alone
    const x = nn.tensor(xv, [5, 6]);
    checkGrad((a) => (m as any).execute([a], false)[0], [x]);
    const [gx] = nn.grads((a) => (m as any).execute([a], false)[0])([x]);
    const tgx = tf.grad((a: any) => tf.sum(tm.apply(a) as any))(tf.tensor(xv, [5, 6]));
    expectClose(gx.dataSync(), tgx.dataSync(), 1e-5, 'dx vs tfjs');

    m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.02 }), loss: 'meanSquaredError' });
    const y = nn.tensor(rand(5 * 2, 23), [5, 2]);
    const hist = await m.fit(x, y, { epochs: 30, batchSize: 5, verbose: 0 });
    expect(hist.history.loss[29]).toBeLessThan(hist.history.loss[0] * 0.5);
  });
});

describe('model construction errors', () => {
  it('name the model and what is wrong', () => {
    const a = nn.input({ shape: [2] }), b = nn.input({ shape: [2] });
    expect(() => nn.model({ inputs: a, outputs: nn.layers.dense({ units: 1 }).apply(b) as nn.layers.SymbolicTensor }))
      .toThrow(/model_\d+: output depends on input 'input_\d+' that is not among the model's inputs/);
    expect(() => nn.model({ inputs: a, outputs: nn.ones([1]) as any }))
      .toThrow(/model_\d+: outputs must be symbolic tensors .*, got a concrete Tensor \[1\]/);
    expect(() => nn.model({ inputs: [], outputs: a })).toThrow(/inputs must be symbolic tensors .*, got none/);
    const empty = nn.sequential({ layers: [] });
    expect(() => empty.predict(nn.ones([1, 2]))).toThrow(/sequential_\d+: the model has no layers; add one first/);
    expect(() => empty.compile({ optimizer: 'sgd', loss: 'meanSquaredError' })).toThrow(/has no layers/);
    expect(() => nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2] })] }).predict('x' as any))
      .toThrow(/predict x: tensor: expected a number, an array, a typed array or a Tensor, got string/);
  });
});

describe('model.summary()', () => {
  function lines(m: nn.Model, lineLength?: number): string[] {
    const out: string[] = [];
    m.summary(lineLength, undefined, (l) => out.push(l));
    return out;
  }

  it('lists every layer with its output shape and parameter count, and totals equal countParams', () => {
    const m = nn.sequential({ name: 'summ', layers: [
      nn.layers.reshape({ targetShape: [2, 4], inputShape: [8], name: 'rs' }),
      nn.layers.dense({ units: 5, name: 'd1' }),
      nn.layers.flatten({ name: 'fl' }),
      nn.layers.dropout({ rate: 0.1, name: 'dr' }),
      nn.layers.dense({ units: 3, activation: 'softmax', name: 'd2', trainable: false }),
    ] });
    const text = lines(m);
    expect(text[0]).toBe('Model: "summ"');
    const rows = text.filter((l) => /^\w+ \(\w+\)/.test(l) && !l.startsWith('Layer (type)')).map((l) => l.trim().split(/\s{2,}|\s(?=\d+$)/));
    expect(rows).toEqual([
      ['rs (Reshape)', '[null,2,4]', '0'],
      ['d1 (Dense)', '[null,2,5]', String(4 * 5 + 5)],
      ['fl (Flatten)', '[null,10]', '0'],
      ['dr (Dropout)', '[null,10]', '0'],
      ['d2 (Dense)', '[null,3]', String(10 * 3 + 3)],
    ]);
    expect(m.countParams()).toBe(25 + 33);
    expect(text).toContain(`Total params: ${m.countParams()}`);
    expect(text).toContain('Trainable params: 25');
    expect(text).toContain('Non-trainable params: 33');
    // tfjs counts the same model alike
    const t = tfl.sequential({ layers: [
      tfl.layers.reshape({ targetShape: [2, 4], inputShape: [8] }), tfl.layers.dense({ units: 5 }),
      tfl.layers.flatten(), tfl.layers.dropout({ rate: 0.1 }), tfl.layers.dense({ units: 3, activation: 'softmax' }),
    ] });
    expect(t.countParams()).toBe(m.countParams());
    expect(t.outputs[0].shape).toEqual([null, 3]);
  });

  it('keeps columns apart when a name is longer than its column', () => {
    const long = 'a_layer_with_a_rather_long_descriptive_name';
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 2, inputShape: [3], name: long })] });
    const row = lines(m).find((l) => l.startsWith(long))!;
    expect(row).toMatch(new RegExp(`^${long} \\(Dense\\)\\s+\\[null,2\\]\\s+8$`));
  });

  it('a functional model lists its input layer first', () => {
    const inp = nn.input({ shape: [4], name: 'features' });
    const out = nn.layers.dense({ units: 2, name: 'head' }).apply(inp);
    const text = lines(nn.model({ inputs: inp, outputs: out }));
    const rows = text.filter((l) => /^\w+ \(\w+\)/.test(l) && !l.startsWith('Layer (type)')).map((l) => l.trim().split(/\s{2,}/));
    expect(rows).toEqual([['features (InputLayer)', '[null,4]', '0'], ['head (Dense)', '[null,2]', '10']]);
  });

  it('an unbuilt model says how to build it', () => {
    const m = nn.sequential({ name: 'lazy', layers: [nn.layers.dense({ units: 2 })] });
    expect(() => m.summary()).toThrow(/lazy\.summary: the model is not built yet/);
  });
});
