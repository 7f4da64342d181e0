// Forward and gradient comparison of one simdnn layer with the same tfjs-layers layer (cpu backend):
// the tfjs layer gets the simdnn layer's weights, both run on the same inputs, and dx (per input) and
// the trainable weights' gradients of Σ(y·dy) are compared.
import { nn, expectClose, rand } from '../setup';
import { tf } from '../tfjs';

export function compareWithTfjs(ours: nn.layers.Layer, theirs: any, shapes: number[][],
                                { training = false, tol = 1e-5, seed = 1 } = {}): void {
  const values = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), seed + i, -2, 2));
  const xs = values.map((v, i) => nn.tensor(v, shapes[i]));
  const one = shapes.length === 1;
  const y = ours.apply(one ? xs[0] : xs, { training }) as nn.Tensor;
  theirs.build(one ? shapes[0] : shapes);
  theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
  const txs = values.map((v, i) => tf.tensor(v, shapes[i]));
  const ty = theirs.apply(one ? txs[0] : txs, { training });
  expectClose(y.dataSync(), ty.dataSync(), tol, `${ours.className} y`);

  const dy = rand(y.size, seed + 50);
  const trainable = ours.weights.filter((w) => w.trainable);
  const params = trainable.map((w) => w.value);
  const ourGrads = nn.grads((...args: nn.Tensor[]) => {
    params.forEach((_, i) => { trainable[i].value = args[xs.length + i]; });
    try {
      return nn.mul(ours.apply(one ? args[0] : args.slice(0, xs.length), { training }) as nn.Tensor, nn.tensor(dy, y.shape));
    } finally { trainable.forEach((w, i) => { w.value = params[i]; }); }
  })([...xs, ...params]);
  const tfVars = theirs.trainableWeights.map((w: any) => w.val);
  const f = (...ins: any[]) => tf.sum(tf.mul(theirs.apply(one ? ins[0] : ins, { training }), tf.tensor(dy, ty.shape)));
  const txGrads = tf.grads(f)(txs);
  const wGrads = tfVars.length ? tf.variableGrads(() => f(...txs) as any, tfVars).grads : {};
  txGrads.forEach((g: any, i: number) => expectClose(ourGrads[i].dataSync(), g.dataSync(), tol * 10, `${ours.className} dx${i}`));
  tfVars.forEach((v: any, i: number) => {
    expectClose(ourGrads[xs.length + i].dataSync(), wGrads[v.name].dataSync(), tol * 10, `${ours.className} d${trainable[i].name}`);
  });
}
