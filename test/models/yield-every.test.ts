// fit's yieldEvery (tfjs' option): when training hands the thread back to the event loop. A timer
// set before fit shows it: it fires only at a yield, so the batches run before it say how often.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

const X = Array.from({ length: 8 }, (_, i) => [i / 8, 1 - i / 8]);
const Y = X.map(([a]) => [a > 0.5 ? 1 : 0]);

/** The batch numbers (over all epochs) after which a timer set before fit had fired. */
async function firedAfter(yieldEvery: unknown, epochs = 2): Promise<number[]> {
  const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  const fired: number[] = [];
  let batches = 0, done = false;
  const arm = () => setTimeout(() => { if (done) return; fired.push(batches); arm(); }, 0);
  arm();
  const onBatchEnd = () => { batches++; };
  await m.fit(X, Y, { epochs, batchSize: 2, verbose: 0, callbacks: { onBatchEnd }, yieldEvery: yieldEvery as nn.YieldEvery });
  done = true;
  m.dispose();
  return fired;
}

describe('fit yieldEvery', () => {
  it("'batch' yields after every batch", async () => {
    expect(await firedAfter('batch')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("'epoch' yields after every epoch, 'never' not at all", async () => {
    expect(await firedAfter('epoch')).toEqual([4, 8]);
    expect(await firedAfter('never')).toEqual([]);
  });

  it("'auto' (the default) yields every 50 ms, a number every that many ms", async () => {
    const t0 = performance.now();
    const auto = await firedAfter(undefined, 4);
    // 16 batches: yielding after each would fire 16 times; on time, at most once per 50 ms.
    expect(auto.length).toBeLessThanOrEqual(Math.floor((performance.now() - t0) / 50) + 1);
    expect(await firedAfter(0, 1)).toEqual([1, 2, 3, 4]);
  });

  it('refuses anything else, naming the option', async () => {
    const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, inputShape: [2] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    for (const bad of ['sometimes', -1, NaN, Infinity, true]) {
      await expect(m.fit(X, Y, { verbose: 0, yieldEvery: bad as nn.YieldEvery })).rejects.toThrow(/fit: yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number/);
    }
    m.dispose();
  });
});
