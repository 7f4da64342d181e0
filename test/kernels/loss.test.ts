// The fused loss kernels: SIMD forms against their scalar _ref twins, every kind, tile edges.
import { describe, it, expect, beforeAll } from 'vitest';
import { nn, ready, rand, expectClose, rawBuffers } from '../setup';

beforeAll(ready);

const K = () => nn.internals.kernels();
const sizes = [1, 3, 4, 5, 8, 12, 13, 64, 67];
const KINDS = ['mse', 'mae', 'huber', 'hinge', 'perceptron', 'bce', 'bceLogits', 'kld'];

const { put, get, freeAll } = rawBuffers();

describe('loss kernels: SIMD vs _ref', () => {
  it('elementwise_loss_forward / _backward for every kind', () => {
    for (let kind = 0; kind < KINDS.length; kind++) {
      for (const n of sizes) {
        const probability = kind >= 5 && kind !== 6;
        const t = kind === 3 || kind === 4 ? Array.from(rand(n, n), (v) => (v > 0 ? 1 : 0))
          : probability ? Array.from(rand(n, n, 0.01, 0.99)) : Array.from(rand(n, n, -2, 2));
        const p = probability ? rand(n, n + 1, 0.01, 0.99) : rand(n, n + 1, -2, 2);
        const tp = put(t), pp = put(p), dy = put([1.5]);
        const binary = kind === 3 || kind === 4 ? K().labels_are_binary(tp, n) : 0;
        expect(binary).toBe(kind === 3 || kind === 4 ? 1 : 0);
        const oa = put([0]), ob = put([0]);
        K().elementwise_loss_forward(oa, tp, pp, n, kind, binary, 1 / n);
        K().elementwise_loss_forward_ref(ob, tp, pp, n, kind, binary, 1 / n);
        expectClose(get(oa, 1), get(ob, 1), 1e-6, `${KINDS[kind]} forward n=${n}`);
        if (n >= 8) expect(get(oa, 1)[0], `${KINDS[kind]} n=${n}`).toBeGreaterThan(0);
        const init = rand(n, 9);
        const ga = put(init), gb = put(init);
        K().elementwise_loss_backward(ga, tp, pp, dy, n, kind, binary, 1 / n);
        K().elementwise_loss_backward_ref(gb, tp, pp, dy, n, kind, binary, 1 / n);
        expect(Array.from(get(ga, n)), `${KINDS[kind]} backward n=${n}`).toEqual(Array.from(get(gb, n)));
        freeAll();
      }
    }
  });
});
