// Inference runs a 2-D convolution followed by 2×2 stride-2 'valid' max pooling as one kernel
// (fuseForInference → conv2dMaxPool2x2). Its results must be those of the two layers run one by
// one, bit for bit, and every graph where the convolution's output is needed elsewhere (another
// reader, a model output, a tape) must run unfused and stay right.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand } from '../setup';

beforeAll(ready);

/** The layers applied one at a time to a concrete tensor (Layer.apply: never fused). */
function layerByLayer(model: any, x: any): Float32Array {
  return nn.tidy(() => {
    let t = x;
    for (const l of model.layers) t = l.apply(t);
    return t.dataSync().slice();
  });
}

describe('a convolution fused with the 2×2 max pooling after it', () => {
  it('predict gives the layers\' results bit for bit: one channel, many filters, odd sizes, every activation kind', () => {
    nn.setSeed(11);
    const L = nn.layers;
    for (const [shape, filters, activation, padding] of [
      [[12, 13, 1], 6, 'relu', 'same'], [[9, 11, 3], 16, 'tanh', 'valid'], [[8, 7, 5], 4, 'linear', 'same'],
      [[10, 10, 2], 9, 'elu', 'valid'], [[6, 9, 1], 32, 'sigmoid', 'same']] as
      [number[], number, 'relu' | 'tanh' | 'linear' | 'elu' | 'sigmoid', 'same' | 'valid'][]) {
      const model = nn.sequential({ layers: [
        L.conv2d({ filters, kernelSize: 3, padding, activation, inputShape: shape, biasInitializer: 'randomNormal' }),
        L.maxPooling2d({ poolSize: 2 }),
        L.conv2d({ filters: 5, kernelSize: 2, activation: 'relu', biasInitializer: 'randomNormal' }),
        L.maxPooling2d({ poolSize: 2, strides: 2 }),
        L.flatten(),
        L.dense({ units: 3 }),
      ] });
      const x = nn.tensor(rand(7 * shape[0] * shape[1] * shape[2], filters, -2, 2), [7, ...shape]);
      const what = `${shape} ${filters} ${activation} ${padding}`;
      expect(Array.from(model.predict(x, { batchSize: 3 }).dataSync()), what).toEqual(Array.from(layerByLayer(model, x)));
      nn.dispose([x]);
      model.dispose();
    }
  });

  it('predict allocates only its output', () => {
    nn.setSeed(12);
    const L = nn.layers;
    const model = nn.sequential({ layers: [
      L.conv2d({ filters: 6, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [12, 12, 1] }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
    ] });
    const x = nn.tensor(rand(5 * 144, 1), [5, 12, 12, 1]);
    model.predict(x).dispose();
    const before = nn.memory();
    const y = model.predict(x, { batchSize: 2 });
    expect(y.shape).toEqual([5, 6 * 6 * 6]);
    expect(nn.memory().numTensors).toBe(before.numTensors + 1);
    y.dispose();
    expect(nn.memory()).toEqual(before);
    nn.dispose([x]);
    model.dispose();
  });

  it('unfused where the convolution output is needed: a second reader, a model output, other pooling, a tape', () => {
    nn.setSeed(13);
    const L = nn.layers;
    const inp = nn.input({ shape: [8, 8, 2] });
    const c = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(inp);
    const pooled = L.maxPooling2d({ poolSize: 2 }).apply(c);
    const side = L.globalAveragePooling2d().apply(c); // a second reader of c
    const c2 = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(inp);
    const p2 = L.maxPooling2d({ poolSize: 2 }).apply(c2); // c2 is also a model output
    const c3 = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }).apply(inp);
    const p3 = L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(c3); // not 2×2 'valid'
    const model = nn.model({ inputs: inp, outputs: [pooled, side, c2, p2, p3] });
    const x = nn.tensor(rand(3 * 128, 2, -1, 1), [3, 8, 8, 2]);
    const outs = model.predict(x) as any[];
    const expected = nn.tidy(() => {
      const cv = model.layers[0].apply(x), cv2 = model.layers[3].apply(x), cv3 = model.layers[5].apply(x);
      return [model.layers[1].apply(cv), model.layers[2].apply(cv), cv2, model.layers[4].apply(cv2), model.layers[6].apply(cv3)]
        .map((t: any) => Array.from(t.dataSync()));
    });
    outs.forEach((o, i) => expect(Array.from(o.dataSync()), `output ${i}`).toEqual(expected[i]));
    nn.dispose([x, ...outs]);

    // Under a tape the two layers run as ops with gradients.
    const seq = nn.sequential({ layers: [
      L.conv2d({ filters: 4, kernelSize: 3, activation: 'tanh', inputShape: [6, 6, 1] }), L.maxPooling2d({ poolSize: 2 }), L.flatten()] });
    const xs = nn.tensor(rand(2 * 36, 3), [2, 6, 6, 1]);
    const dx = nn.grad((t: any) => seq.apply(t) as any)(xs);
    expect(dx.shape).toEqual([2, 6, 6, 1]);
    expect(Array.from(dx.dataSync()).some((v) => v !== 0)).toBe(true);
    nn.dispose([xs, dx]);
    model.dispose();
    seq.dispose();
  });
});
