// Every workload, by name. A new family is one module exporting `workloads`, listed here.
//
// A workload is { name, metric, unit, extra?, prepare(ctx) }; `extra` ones are left out of `all`. prepare builds its inputs (untimed) for the
// library in ctx ({ kind: 'simdnn', nn } or { kind: 'tfjs', tf }) and returns
//   { run(), warmup()?, reps(warmMs), value(medianMs), notes, dispose() }:
// run() is one timed repetition (may be async); warmup() defaults to one run().
import { workloads as gemm } from './gemm.mjs';
import { workloads as mlp } from './mlp.mjs';
import { workloads as cnn } from './cnn.mjs';
import { workloads as rnn } from './rnn.mjs';

export const workloads = new Map([...gemm, ...mlp, ...cnn, ...rnn].map((w) => [w.name, w]));
