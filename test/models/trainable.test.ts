// layer.trainable = false after build freezes a layer (Keras): its weights stop training, the model
// repacks its parameter arena, and unfreezing trains them again.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand } from '../setup';

beforeAll(ready);

const bits = (ts: nn.Tensor[]) => ts.map((t) => { const v = Array.from(t.dataSync()); t.dispose(); return v; });

describe('freezing layers', () => {
  it('a frozen dense layer keeps its weights bit for bit while the others train; unfrozen, it trains again', async () => {
    nn.setSeed(11);
    const m = nn.sequential({ layers: [
      nn.layers.dense({ units: 8, activation: 'tanh', inputShape: [3] }),
      nn.layers.batchNormalization(),
      nn.layers.dense({ units: 1 }),
    ] });
    m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    const x = nn.tensor(rand(64 * 3, 1), [64, 3]), y = nn.tensor(rand(64, 2), [64, 1]);
    await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    const [first, , last] = m.layers;

    first.trainable = false;
    expect(first.trainableWeights.length).toBe(0);
    expect(m.trainableWeights.map((w) => w.name)).not.toContain(first.weights[0].name);
    const frozen = bits(first.getWeights()), others = bits(last.getWeights());
    const before = nn.memory().numTensors;
    // frozen in the middle of fit, from a callback: the next step already leaves it alone
    let frozenAt: number[][] | null = null;
    first.trainable = true;
    await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, shuffle: false, callbacks: {
      onEpochEnd: (epoch) => { if (epoch === 0) { first.trainable = false; frozenAt = bits(first.getWeights()); } },
    } });
    expect(bits(first.getWeights())).toEqual(frozenAt);
    expect(frozenAt).not.toEqual(frozen); // it trained during epoch 0
    const frozen2 = bits(first.getWeights());
    await m.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    expect(bits(first.getWeights())).toEqual(frozen2);
    expect(bits(last.getWeights())).not.toEqual(others);
    expect(nn.memory().numTensors).toBe(before + 2); // the frozen kernel and bias left the arena for memory of their own

    first.trainable = true;
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    expect(bits(first.getWeights())).not.toEqual(frozen2);
    const lines: string[] = [];
    first.trainable = false;
    m.summary(65, undefined, (l) => lines.push(l));
    expect(lines).toContain(`Trainable params: ${m.countParams() - 3 * 8 - 8 - 2 * 8}`); // frozen dense + moving stats
  });

  it('a layer made with trainable: false can be unfrozen; the flag round-trips through save', async () => {
    const d = nn.layers.dense({ units: 2, inputShape: [2], trainable: false });
    const m = nn.sequential({ layers: [d] });
    expect(m.trainableWeights.length).toBe(0);
    d.trainable = true;
    expect(m.trainableWeights.map((w) => w.name)).toEqual([`${d.name}/kernel`, `${d.name}/bias`]);
    d.trainable = false;
    const h = nn.io.memory();
    await m.save(h);
    const back = await nn.loadLayersModel(h);
    expect(back.getLayer(0).trainable).toBe(false);
    expect(back.trainableWeights.length).toBe(0);
  });

  it('the optimizer state of the weights that keep training moves with them when the arena repacks', async () => {
    nn.setSeed(12);
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 4, inputShape: [3] }), nn.layers.dense({ units: 2 })] });
    m.compile({ optimizer: nn.optimizers.adam({ learningRate: 0.01 }), loss: 'meanSquaredError' });
    const x = nn.tensor(rand(16 * 3, 3), [16, 3]), y = nn.tensor(rand(32, 4), [16, 2]);
    await m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    const state = () => {
      const arena = m.arena!;
      return new Map(m.compiled!.optimizer.getWeights(arena.size, arena.segments).map((w) => [w.name, bits([w.tensor])[0]]));
    };
    const before = state();
    const [a, b] = m.layers;
    a.trainable = false;
    m.packParameters();
    const frozen = state();
    expect([...frozen.keys()].some((n) => n.startsWith(a.name))).toBe(false);
    for (const [name, v] of frozen) expect(v, name).toEqual(before.get(name));
    expect(frozen.get('iter')).toEqual([8]);
    a.trainable = true;
    m.packParameters();
    const back = state();
    for (const [name, v] of back) {
      if (name.startsWith(a.name)) expect(v.every((e) => e === 0), name).toBe(true); // Adam's m and v start afresh
      else expect(v, name).toEqual(before.get(name));
    }
    expect([...back.keys()].filter((n) => n.startsWith(b.name)).length).toBe(4);
  });

  it('a model with every layer frozen still fits (computing the loss) and changes nothing', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 2, inputShape: [3] }), nn.layers.batchNormalization()] });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = nn.tensor(rand(24, 5), [8, 3]), y = nn.tensor(rand(16, 6), [8, 2]);
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    for (const l of m.layers) l.trainable = false;
    const weights = bits(m.getWeights());
    const h = await m.fit(x, y, { epochs: 2, verbose: 0 });
    expect(h.history.loss[1]).toBe(h.history.loss[0]);
    expect(bits(m.getWeights())).toEqual(weights);
  });
});
