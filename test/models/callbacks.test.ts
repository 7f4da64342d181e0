// The built-in callbacks, held to what they do: the learning rate reduceLROnPlateau leaves after each
// epoch, the epoch earlyStopping stops at and the weights it restores, the batch terminateOnNaN stops at.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand } from '../setup';

beforeAll(ready);

const flat = (m: nn.Model) => m.getWeights().flatMap((w) => Array.from(w.dataSync()));

describe('reduceLROnPlateau', () => {
  it('factor, patience, cooldown and minLr, epoch by epoch (Keras semantics)', async () => {
    // A model that cannot learn (zero weights, zero targets: zero gradients), so the monitored value
    // is whatever a hook before the reducer writes into the logs.
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })] });
    const opt = nn.optimizers.sgd({ learningRate: 1 });
    m.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const score = [5, 4, 4, 4, 4, 4, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5, 3.5];
    // by hand: patience 2 cuts on the 2nd epoch without improvement (3: 1 → 0.5); cooldown 2 then
    // skips one epoch (4) and restarts the count (5, 6); 6 improves, so 7, 8 count and 8 cuts to 0.25;
    // 9 cools down, 10, 11 count and 11 cuts to max(0.125, minLr 0.2); at minLr it stays.
    const expected = [1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2, 0.2, 0.2];
    const lr: number[] = [];
    await m.fit([[1], [2]], [[0], [0]], { epochs: score.length, batchSize: 2, verbose: 0, callbacks: [
      { onEpochEnd: (e, logs) => { logs!.score = score[e]; } },
      nn.callbacks.reduceLROnPlateau({ monitor: 'score', mode: 'min', factor: 0.5, patience: 2, cooldown: 2, minLr: 0.2, minDelta: 0 }),
      { onEpochEnd: () => { lr.push(opt.currentLearningRate()); } },
    ] });
    lr.forEach((v, e) => expect(v, `learning rate after epoch ${e}`).toBeCloseTo(expected[e], 7));
    expect(lr).toHaveLength(expected.length);
  });

  it('minDelta: an improvement smaller than it counts as none', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })] });
    const opt = nn.optimizers.sgd({ learningRate: 1 });
    m.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const score = [1, 0.95, 0.9, 0.85];
    const lr: number[] = [];
    await m.fit([[1]], [[0]], { epochs: 4, verbose: 0, callbacks: [
      { onEpochEnd: (e, logs) => { logs!.score = score[e]; } },
      nn.callbacks.reduceLROnPlateau({ monitor: 'score', factor: 0.1, patience: 2, minDelta: 0.1 }),
      { onEpochEnd: () => { lr.push(opt.currentLearningRate()); } },
    ] });
    expect(lr.map((v) => +v.toPrecision(6))).toEqual([1, 1, 0.1, 0.1]);
  });
});

describe('earlyStopping', () => {
  // y = w·x from w = 0 by full-batch SGD towards the training targets 2x; the validation targets are
  // 1x, so val_mae falls while w nears 1 and rises once w passes it.
  async function run(args: Parameters<typeof nn.callbacks.earlyStopping>[0]) {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'zeros' })] });
    m.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.3 }), loss: 'meanSquaredError', metrics: ['mae'] });
    const x = rand(32, 5), v = rand(16, 6);
    const weights: number[][] = [];
    const h = await m.fit(nn.tensor(x, [32, 1]), nn.tensor(x.map((a) => 2 * a), [32, 1]), {
      epochs: 40, batchSize: 32, verbose: 0, validationData: [nn.tensor(v, [16, 1]), nn.tensor(v, [16, 1])],
      callbacks: [nn.callbacks.earlyStopping(args), { onEpochEnd: () => { weights.push(flat(m)); } }],
    });
    const vals = h.history.val_mae;
    return { m, vals, weights, best: vals.indexOf(Math.min(...vals)) };
  }

  it('on a validation metric: stops after `patience` epochs without improvement and restores the best epoch\'s weights', async () => {
    const { m, vals, weights, best } = await run({ monitor: 'val_mae', patience: 2, restoreBestWeights: true });
    expect(best).toBeGreaterThan(0);
    expect(vals).toHaveLength(best + 1 + 2);
    for (let e = best + 1; e < vals.length; e++) expect(vals[e]).toBeGreaterThan(vals[best]);
    expect(flat(m)).toEqual(weights[best]);
    expect(flat(m)).not.toEqual(weights.at(-1));
  });

  it('without restoreBestWeights the last epoch\'s weights stay; patience 0 stops at the first epoch that does not improve', async () => {
    const a = await run({ monitor: 'val_mae', patience: 0 });
    expect(a.vals).toHaveLength(a.best + 2);
    expect(flat(a.m)).toEqual(a.weights.at(-1));
    const b = await run({ monitor: 'val_mae', patience: 3, restoreBestWeights: false });
    expect(b.vals).toHaveLength(b.best + 1 + 3);
    expect(flat(b.m)).toEqual(b.weights.at(-1));
  });
});

describe('terminateOnNaN', () => {
  it('stops at the first batch whose loss is not finite: no later batch, no later epoch', async () => {
    // the 4th sample overflows the squared error to Infinity; the inf update would make every later loss NaN
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones' })] });
    m.compile({ optimizer: nn.optimizers.sgd({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    const losses: number[] = [];
    let epochsBegun = 0;
    const x = [[1], [1], [1], [1e30], [1], [1]], y = x.map(() => [0]);
    const warn = console.warn; console.warn = () => {};
    try {
      await m.fit(x, y, { epochs: 3, batchSize: 1, shuffle: false, verbose: 0, callbacks: [
        nn.callbacks.terminateOnNaN(),
        { onEpochBegin: () => { epochsBegun++; }, onBatchEnd: (_b, logs) => { losses.push(logs!.loss); } }] });
    } finally { console.warn = warn; }
    expect(epochsBegun).toBe(1);
    expect(losses).toHaveLength(4);
    expect(losses.slice(0, 3).every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(losses[3])).toBe(false);
  });
});

describe('callback options', () => {
  it('a misspelled or ill-typed option is refused with its name, not silently ignored', () => {
    const C = nn.callbacks as any;
    const refused: [() => unknown, RegExp][] = [
      [() => C.earlyStopping({ patiense: 1 }), /earlyStopping: unknown option 'patiense'; known options: .*patience/],
      [() => C.earlyStopping({ patience: -1 }), /earlyStopping: patience must be a non-negative integer, got -1/],
      [() => C.earlyStopping({ patience: '2' }), /earlyStopping: patience must be a non-negative integer, got '2'/],
      [() => C.earlyStopping({ minDelta: NaN }), /earlyStopping: minDelta must be a finite number, got NaN/],
      [() => C.earlyStopping({ mode: 'maximum' }), /earlyStopping: mode must be 'auto', 'min' or 'max'/],
      [() => C.earlyStopping({ baseline: 'x' }), /earlyStopping: baseline must be a finite number/],
      [() => C.earlyStopping({ restoreBestWeights: 1 }), /earlyStopping: restoreBestWeights must be a boolean/],
      [() => C.reduceLROnPlateau({ minLR: 0.1 }), /reduceLROnPlateau: unknown option 'minLR'; known options: .*minLr/],
      [() => C.reduceLROnPlateau({ patience: 1.5 }), /reduceLROnPlateau: patience must be a non-negative integer, got 1.5/],
      [() => C.reduceLROnPlateau({ cooldown: -1 }), /reduceLROnPlateau: cooldown must be a non-negative integer, got -1/],
      [() => C.reduceLROnPlateau({ minLr: -1 }), /reduceLROnPlateau: minLr must be >= 0, got -1/],
      [() => C.reduceLROnPlateau({ factor: '0.5' }), /reduceLROnPlateau: factor must be in \(0, 1\), got '0.5'/],
      [() => C.modelCheckpoint(nn.io.memory(), { saveFreq: 1 }), /modelCheckpoint: unknown option 'saveFreq'/],
      [() => C.modelCheckpoint(nn.io.memory(), { saveBestOnly: 'yes' }), /modelCheckpoint: saveBestOnly must be a boolean/],
    ];
    for (const [make, msg] of refused) expect(make).toThrow(msg);
    // the documented spellings still pass
    nn.callbacks.earlyStopping({ monitor: 'val_acc', minDelta: 0.01, patience: 2, mode: 'max', baseline: 0.5, restoreBestWeights: true });
    nn.callbacks.reduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 1, mode: 'min', minDelta: 0, cooldown: 1, minLr: 1e-4, verbose: 1 });
    nn.callbacks.modelCheckpoint(nn.io.memory(), { monitor: 'loss', saveBestOnly: true, mode: 'min', verbose: 0 });
  });
});
