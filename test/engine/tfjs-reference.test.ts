import { describe, it, beforeAll } from 'vitest';
import { nn, ready, expectClose, rand } from '../setup';
import { tfReady, tf } from '../tfjs';

beforeAll(async () => { await ready(); await tfReady(); });

describe('tfjs reference backend', () => {
  it('loads on the cpu backend and agrees on broadcasting arithmetic', () => {
    const a = rand(12, 1), b = rand(4, 2, 0.5, 1.5);
    const ours = nn.div(nn.tensor(a, [3, 4]), nn.tensor(b, [4])).dataSync();
    const theirs = tf.div(tf.tensor(a, [3, 4]), tf.tensor(b, [4])).dataSync();
    expectClose(ours, theirs, 1e-7);
  });
});
