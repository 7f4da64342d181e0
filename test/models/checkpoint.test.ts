import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand } from '../setup';


function mlp() {
  const m = nn.sequential({ layers: [
    nn.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }),
    nn.layers.dense({ units: 1, activation: 'sigmoid' }),
  ] });
  m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
  return m;
}

let x: nn.Tensor, y: nn.Tensor, vx: nn.Tensor, vy: nn.Tensor;
beforeAll(async () => {
  await ready();
  x = nn.tensor(rand(24 * 4, 31), [24, 4]);
  y = nn.tensor(Float32Array.from(rand(24, 32), (v) => (v > 0 ? 1 : 0)), [24, 1]);
  vx = nn.tensor(rand(10 * 4, 33), [10, 4]);
  vy = nn.tensor(Float32Array.from(rand(10, 34), (v) => (v > 0 ? 1 : 0)), [10, 1]);
});
const flat = (ws: nn.Tensor[]) => ws.flatMap((w) => Array.from(w.dataSync()));

describe('modelCheckpoint', () => {
  it('saves every epoch by default, and the save has finished before training goes on', async () => {
    let saves = 0, pending = false;
    const slow = { async save(a: any) { pending = true; await new Promise((r) => setTimeout(r, 15)); pending = false; saves++; return nn.io.memory().save(a); } };
    const order: string[] = [];
    await mlp().fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: [nn.callbacks.modelCheckpoint(slow),
      { onEpochBegin: (e) => { order.push(`begin${e}:${saves}:${pending}`); }, onEpochEnd: (e) => { order.push(`end${e}:${saves}:${pending}`); } }] });
    expect(saves).toBe(3);
    expect(order).toEqual(['begin0:0:false', 'end0:1:false', 'begin1:1:false', 'end1:2:false', 'begin2:2:false', 'end2:3:false']);
  });

  it('saveBestOnly saves exactly the epochs where val_loss reached a new minimum, with the weights of that epoch', async () => {
    nn.setSeed(4);
    const m = mlp();
    m.compile({ optimizer: nn.optimizers.sgd({ learningRate: 3 }), loss: 'binaryCrossentropy' }); // large steps: val_loss goes up and down
    const handler = nn.io.memory();
    const ckpt = nn.callbacks.modelCheckpoint(handler, { saveBestOnly: true });
    const snapshots: number[][] = [];
    const h = await m.fit(x, y, { epochs: 12, batchSize: 4, verbose: 0, validationData: [vx, vy],
      callbacks: [ckpt, { onEpochEnd: () => { snapshots.push(flat(m.getWeights())); } }] });
    const vl = h.history.val_loss;
    const expected: number[] = [];
    let best = Infinity;
    vl.forEach((v, e) => { if (v < best) { best = v; expected.push(e); } });
    expect(expected.length).toBeLessThan(vl.length); // the run must include epochs that do not improve
    expect(ckpt.savedEpochs).toEqual(expected);
    const last = expected[expected.length - 1];
    expect(Array.from(new Float32Array(handler.weightData!))).toEqual(snapshots[last]);
    const back = await nn.loadLayersModel(handler);
    back.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const best1 = (back.evaluate(vx, vy) as nn.Tensor).dataSync()[0];
    expect(best1).toBeCloseTo(Math.min(...vl), 5);
  });

  it('mode max with an accuracy monitor, missing monitors and bad destinations', async () => {
    const saved: number[] = [];
    const ckpt = nn.callbacks.modelCheckpoint({ save: async (a: any) => { saved.push(1); return nn.io.memory().save(a); } },
      { monitor: 'val_acc', saveBestOnly: true });
    const m = mlp();
    ckpt.setModel(m);
    ckpt.onTrainBegin();
    for (const [e, acc] of [0.5, 0.4, 0.7, 0.7, 0.9].entries()) await ckpt.onEpochEnd(e, { val_acc: acc });
    expect(ckpt.savedEpochs).toEqual([0, 2, 4]);
    const min = nn.callbacks.modelCheckpoint(nn.io.memory(), { monitor: 'val_acc', saveBestOnly: true, mode: 'min' });
    min.setModel(m);
    min.onTrainBegin();
    for (const [e, acc] of [0.5, 0.4, 0.7, 0.3].entries()) await min.onEpochEnd(e, { val_acc: acc });
    expect(min.savedEpochs).toEqual([0, 1, 3]);
    const warns: string[] = [];
    const orig = console.warn;
    console.warn = (s: string) => { warns.push(s); };
    try { await ckpt.onEpochEnd(5, { loss: 1 }); } finally { console.warn = orig; }
    expect(warns[0]).toMatch(/modelCheckpoint: monitored value 'val_acc' is not in the logs \(loss\)/);
    expect(ckpt.savedEpochs).toEqual([0, 2, 4]);
    expect(() => nn.callbacks.modelCheckpoint(null as any)).toThrow(/modelCheckpoint: filepath must be a destination string or an IO handler/);
    await expect(mlp().fit(x, y, { epochs: 1, verbose: 0, callbacks: [nn.callbacks.modelCheckpoint('nowhere://x')] }))
      .rejects.toThrow(/unsupported destination 'nowhere:\/\/x'/);
  });

  it('fills {epoch} and log placeholders in a path', () => {
    const f = nn.callbacks.formatCheckpointPath;
    expect(f('file://ck/{epoch:03d}-{val_loss:.3f}', 6, { val_loss: 0.12345 })).toBe('file://ck/007-0.123');
    expect(f('indexeddb://m-{epoch}', 0, {})).toBe('indexeddb://m-1');
    expect(() => f('file://ck/{val_acc:.2f}', 0, { loss: 1 })).toThrow(/names 'val_acc', which is not in the logs \(loss\)/);
  });
});
