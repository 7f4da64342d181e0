// Every workload, by name. A new family is one module exporting `workloads`, listed here.
//
// A workload is { name, metric, unit, extra?, vsPeak?, prepare(ctx) }; `extra` ones are left out of
// `all`; `vsPeak` ones (GFLOP/s of a kernel) are also shown as a fraction of wasm-peak, which then
// runs first in the same run. prepare builds its inputs (untimed) for the library in ctx
// ({ kind: 'simdnn', nn } or { kind: 'tfjs', tf }) and returns
//   { run(), warmup()?, reps(warmMs), value(medianMs), best?, notes, dispose() }:
// run() is one timed repetition (may be async); warmup() defaults to one run(); `best` (a ceiling
// such as wasm-peak) takes the fastest repetition instead of the median.
import { workloads as gemm } from './gemm.mjs';
import { workloads as mlp } from './mlp.mjs';
import { workloads as cnn } from './cnn.mjs';
import { workloads as rnn } from './rnn.mjs';
import { workloads as peak } from './peak.mjs';
import { workloads as conv } from './conv.mjs';

export const workloads = new Map([...gemm, ...mlp, ...cnn, ...rnn, ...peak, ...conv].map((w) => [w.name, w]));
