// fit's verbose output in a browser: no terminal to draw a bar on, so one console line per epoch.
import { describe, it, expect, beforeAll, vi } from 'vitest';
import { nn, ready } from '../setup';

beforeAll(ready);

async function printed(verbose: 0 | 1 | 2): Promise<{ lines: string[]; history: Record<string, number[]> }> {
  nn.setSeed(1);
  const m = nn.sequential({ layers: [nn.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const x = nn.tensor([[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]]), y = nn.tensor([[0], [1], [1], [1], [0]]);
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    const h = await m.fit(x, y, { epochs: 3, batchSize: 2, validationSplit: 0.2, verbose });
    return { lines: log.mock.calls.map((c) => c.join(' ')), history: h.history };
  } finally { log.mockRestore(); }
}

describe('fit progress in a browser', () => {
  for (const verbose of [1, 2] as const) {
    it(`verbose ${verbose}: one console.log line per epoch with the epoch's logs`, async () => {
      const { lines, history } = await printed(verbose);
      expect(lines).toHaveLength(3);
      lines.forEach((line, e) => {
        const m = line.match(/^Epoch (\d)\/3 - \S+ \d+ms\/step - loss: (\S+) - accuracy: (\S+) - val_loss: (\S+) - val_accuracy: (\S+)$/);
        expect(m, line).not.toBeNull();
        expect(Number(m![1])).toBe(e + 1);
        expect(m![2]).toBe(history.loss[e].toFixed(4));
        expect(m![4]).toBe(history.val_loss[e].toFixed(4));
      });
    });
  }

  it('verbose 0 logs nothing', async () => {
    expect((await printed(0)).lines).toEqual([]);
  });
});
