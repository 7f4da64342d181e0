// Recurrent layers over a whole sequence as ONE op: one kernel call forward (input projection,
// every step and its cell), one backward through time (assembly/kernels/rnn.ts), one tape entry
// with several outputs (the output, the last h, and for an LSTM the last c).
import { recordMulti } from '../autograd';
import { Tensor, shapeStr } from '../tensor';
import { k, gemmWorkspace } from '../wasm';
import { Activation } from './activation';

/** The cell a sequence runs: Elman, LSTM, GRU with the reset gate after or before the recurrent matmul. */
export type CellKind = 'simple' | 'lstm' | 'gru' | 'gruResetBefore';

/** Gate blocks per cell: the kernels are [in, gates·units], the recurrent kernels [units, gates·units]. */
export const CELL_GATES: Readonly<Record<CellKind, number>> = { simple: 1, lstm: 4, gru: 3, gruResetBefore: 3 };
const STATES: Readonly<Record<CellKind, number>> = { simple: 1, lstm: 2, gru: 1, gruResetBefore: 1 };

/** Activations whose derivative follows from their output (what the fused cells save). */
export const RECURRENT_ACTIVATIONS = ['linear', 'sigmoid', 'hardSigmoid', 'tanh', 'relu', 'relu6', 'selu',
  'softplus', 'softsign'] as const;

export interface RecurrentOpArgs {
  cell: CellKind;
  activation: Activation;
  /** The gates' activation (LSTM, GRU). */
  recurrentActivation?: Activation;
  goBackwards?: boolean;
  returnSequences?: boolean;
  /** With goBackwards, give the sequence in input order rather than processing order (Bidirectional). */
  alignSequence?: boolean;
  /** The layer or op name for errors. */
  where?: string;
  /** [batch, timeSteps], 0 where a step is padding (masked): there the state carries over unchanged. */
  mask?: Tensor | null;
  /** [batch, units], multiplies h_{t−1} wherever the cell reads it, at every step (recurrent dropout), or null. */
  recurrentMask?: Tensor | null;
}

/** Refuses an activation the fused cells cannot differentiate from their saved outputs. */
export function checkRecurrentActivation(act: Activation, where: string, what = 'activation'): Activation {
  if (!(RECURRENT_ACTIVATIONS as readonly string[]).includes(act.name)) {
    throw new Error(`${where}: ${what} '${act.name}' is not supported in a recurrent cell; use one of ${RECURRENT_ACTIVATIONS.join(', ')}`);
  }
  return act;
}

/**
 * The mask as the kernels read it: time-major (T, B), in processing order (reversed with
 * goBackwards), or null without a mask. Checks its shape against the input's.
 */
function timeMajorMask(mask: Tensor | null | undefined, x: Tensor, rev: number, where: string): Tensor | null {
  if (!mask) return null;
  const [B, T] = x.shape;
  if (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== T) {
    throw new Error(`${where}: the mask must be [batch, timeSteps] = [${B},${T}] for input ${shapeStr(x.shape)}, got ${shapeStr(mask.shape)}`);
  }
  const m = Tensor.empty([T, B]);
  k().seq_permute_f32(m.ptr, mask.ptr, B, T, 1, 0, rev, 0);
  return m;
}

/** Checks a recurrent-dropout mask: [batch, units] of the state the cell feeds back. */
function checkRecurrentMask(m: Tensor | null | undefined, B: number, u: number, x: Tensor, where: string): void {
  if (m && (m.rank !== 2 || m.shape[0] !== B || m.shape[1] !== u)) {
    throw new Error(`${where}: the recurrent mask must be [batch, units] = [${B},${u}] for input ${shapeStr(x.shape)}, got ${shapeStr(m.shape)}`);
  }
}

/** The bias shape of a cell: [G·u], or [2, 3u] for the reset-after GRU (input and recurrent biases). */
export function biasShape(cell: CellKind, units: number): number[] {
  return cell === 'gru' ? [2, 3 * units] : [CELL_GATES[cell] * units];
}

/** Scratch for recurrent kernels packed once per sequence: op(U) blocks of [rows, cols]. */
function packedScratch(...blocks: [number, number][]): Tensor {
  const K = k();
  return Tensor.empty([blocks.reduce((n, [rows, cols]) => n + K.gemm_pack_b_size(rows, cols) / 4, 0)]);
}

/**
 * Runs a recurrent layer over x:(B, T, F). kernel:(F, G·u), recurrentKernel:(u, G·u), bias (see
 * biasShape) or null; initialState: [h0] or [h0, c0] (LSTM), each (B, u), or null for zeros.
 * Returns [output, hT] or [output, hT, cT]: output is the (B, T, u) sequence with returnSequences,
 * else the last h. With goBackwards the input is read from the last step to the first, and the
 * sequence comes out in that (processing) order, as in Keras.
 */
export function recurrentOp(x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor | null,
                            initialState: Tensor[] | null, args: RecurrentOpArgs): Tensor[] {
  const { cell } = args;
  const where = args.where ?? cell;
  const act = checkRecurrentActivation(args.activation, where).kind;
  const ract = checkRecurrentActivation(args.recurrentActivation ?? args.activation, where, 'recurrentActivation').kind;
  const G = CELL_GATES[cell];
  const u = recurrentKernel.shape[0];
  if (x.rank !== 3) {
    throw new Error(`${where}: expects a sequence input [batch, timeSteps, features], got shape ${shapeStr(x.shape)}`);
  }
  const [B, T, F] = x.shape;
  if (kernel.rank !== 2 || kernel.shape[0] !== F || kernel.shape[1] !== G * u) {
    throw new Error(`${where}: the kernel ${shapeStr(kernel.shape)} expects ${kernel.shape[0]} features per time step ` +
      `and ${G * u} gate columns; got input shape ${shapeStr(x.shape)}`);
  }
  if (recurrentKernel.rank !== 2 || recurrentKernel.shape[1] !== G * u) {
    throw new Error(`${where}: recurrent kernel must be [units, ${G}·units], got ${shapeStr(recurrentKernel.shape)}`);
  }
  const bShape = biasShape(cell, u);
  if (bias && shapeStr(bias.shape) !== shapeStr(bShape)) {
    throw new Error(`${where}: bias must be ${shapeStr(bShape)}, got ${shapeStr(bias.shape)}`);
  }
  if (T < 1 || B < 1) throw new Error(`${where}: needs at least one sample and one time step, got input shape ${shapeStr(x.shape)}`);
  const nStates = STATES[cell];
  if (initialState) {
    if (initialState.length !== nStates) {
      throw new Error(`${where}: expects ${nStates} initial state tensor${nStates > 1 ? 's' : ''} [${B},${u}], got ${initialState.length}`);
    }
    for (const s of initialState) {
      if (s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== u) {
        throw new Error(`${where}: initial state must be [batch, units] = [${B},${u}] for input ${shapeStr(x.shape)}, got ${shapeStr(s.shape)}`);
      }
    }
  }

  const K = k(), ws = gemmWorkspace();
  const rev = args.goBackwards ? 1 : 0;
  const outRev = rev && args.alignSequence ? 1 : 0;
  const mask = timeMajorMask(args.mask, x, rev, where);
  const mp = mask ? mask.ptr : 0;
  checkRecurrentMask(args.recurrentMask, B, u, x, where);
  const stepBytes = B * u * 4;
  const saved: Tensor[] = [], scratch: Tensor[] = [];
  const temp = (shape: number[], keepForBackward: boolean) => {
    const t = Tensor.empty(shape);
    (keepForBackward ? saved : scratch).push(t);
    return t;
  };
  if (mask) saved.push(mask);
  const xt = temp([T, B, F], true);
  K.seq_permute_f32(xt.ptr, x.ptr, B, T, F, 0, rev, 0);
  const h = temp([T + 1, B, u], true);
  const c = cell === 'lstm' ? temp([T + 1, B, u], true) : null;
  [h, c].forEach((s, i) => {
    if (!s) return;
    if (initialState) K.copy_f32(s.ptr, initialState[i].ptr, B * u);
    else K.fill_f32(s.ptr, B * u, 0);
  });
  const bp = bias ? bias.ptr : 0;
  // With a recurrent mask: its pointer, and the masked previous states of every step (kept for backward).
  const hm = args.recurrentMask ? temp([T, B, u], true) : null;
  const recurrent = [args.recurrentMask ? args.recurrentMask.ptr : 0, hm ? hm.ptr : 0] as const;
  const z = cell === 'simple' ? null : temp([T, B, G * u], true);
  let rec: Tensor | null = null;
  if (cell === 'simple') {
    const rkp = packedScratch([u, u]);
    scratch.push(rkp);
    K.simple_rnn_seq_forward(h.ptr, rkp.ptr, xt.ptr, kernel.ptr, recurrentKernel.ptr, bp, mp, ...recurrent, T, B, F, u, act, ws);
  } else if (cell === 'lstm') {
    const hU = temp([B, 4 * u], false), rkp = packedScratch([u, 4 * u]);
    scratch.push(rkp);
    K.lstm_seq_forward(h.ptr, c!.ptr, z!.ptr, hU.ptr, rkp.ptr, xt.ptr, kernel.ptr, recurrentKernel.ptr, bp, mp, ...recurrent,
      T, B, F, u, act, ract, ws);
  } else if (cell === 'gru') {
    rec = temp([T, B, u], true);
    const work = temp([B, 3 * u], false), rkp = packedScratch([u, 3 * u]);
    scratch.push(rkp);
    K.gru_seq_forward(h.ptr, z!.ptr, rec.ptr, work.ptr, rkp.ptr, xt.ptr, kernel.ptr, recurrentKernel.ptr, bp, mp, ...recurrent,
      T, B, F, u, act, ract, ws);
  } else {
    rec = temp([T, B, u], true);
    const work = temp([B, 2 * u], false), cand = temp([B, u], false), rkp = packedScratch([u, 2 * u], [u, u]);
    scratch.push(rkp);
    K.gru_reset_before_seq_forward(h.ptr, z!.ptr, rec.ptr, work.ptr, cand.ptr, rkp.ptr, xt.ptr, kernel.ptr,
      recurrentKernel.ptr, bp, mp, ...recurrent, T, B, F, u, act, ract, ws);
  }
  for (const t of scratch) t.dispose();

  const lastOf = (s: Tensor) => {
    const t = Tensor.empty([B, u]);
    K.copy_f32(t.ptr, s.ptr + T * stepBytes, B * u);
    return t;
  };
  let y: Tensor;
  if (args.returnSequences) {
    y = Tensor.empty([B, T, u]);
    K.seq_permute_f32(y.ptr, h.ptr + stepBytes, T, B, u, outRev, 0, 0);
  } else y = lastOf(h);
  const outputs = [y, lastOf(h), ...(c ? [lastOf(c)] : [])];

  const inputs = [x, kernel, recurrentKernel, ...(bias ? [bias] : []), ...(initialState ?? [])];
  recordMulti(inputs, outputs, (dys, grads) => {
    const [dx, dW, dU] = grads;
    const db = bias ? grads[3] : null;
    const dStates = grads.slice(bias ? 4 : 3);
    const dh = Tensor.zeros([B, u]);
    const dc = Tensor.zeros([B, u]);
    let dhSeq: Tensor | null = null;
    if (dys[0] && args.returnSequences) {
      dhSeq = Tensor.empty([T, B, u]);
      K.seq_permute_f32(dhSeq.ptr, dys[0].ptr, B, T, u, 0, outRev, 0);
    } else if (dys[0]) K.axpy_f32(dh.ptr, dys[0].ptr, 1, B * u);
    if (dys[1]) K.axpy_f32(dh.ptr, dys[1].ptr, 1, B * u);
    if (dys[2]) K.axpy_f32(dc.ptr, dys[2].ptr, 1, B * u);
    const dxt = dx ? Tensor.empty([T, B, F]) : null;
    const p = (t: Tensor | null) => (t ? t.ptr : 0);
    const common = [p(dxt), p(dW), p(dU), p(db)] as const;
    // the masked rows' carried gradients (dh, and dc for an LSTM)
    const carry = mask ? Tensor.empty([nStates, B, u]) : null;
    const masking = [mp, p(carry), ...recurrent] as const;
    if (cell === 'simple') {
      const dz = Tensor.empty([T, B, u]), rkp = packedScratch([u, u]);
      K.simple_rnn_seq_backward(...common, dh.ptr, dz.ptr, rkp.ptr, p(dhSeq), h.ptr, xt.ptr, kernel.ptr, recurrentKernel.ptr,
        ...masking, T, B, F, u, act, ws);
    } else if (cell === 'lstm') {
      const dz = Tensor.empty([T, B, G * u]), rkp = packedScratch([4 * u, u]);
      K.lstm_seq_backward(...common, dh.ptr, dc.ptr, dz.ptr, rkp.ptr, p(dhSeq), h.ptr, c!.ptr, z!.ptr, xt.ptr, kernel.ptr,
        recurrentKernel.ptr, ...masking, T, B, F, u, act, ract, ws);
    } else if (cell === 'gru') {
      const dz = Tensor.empty([T, B, G * u]), drec = Tensor.empty([T, B, G * u]), rkp = packedScratch([3 * u, u]);
      K.gru_seq_backward(...common, dh.ptr, dz.ptr, drec.ptr, rkp.ptr, p(dhSeq), h.ptr, z!.ptr, rec!.ptr, xt.ptr, kernel.ptr,
        recurrentKernel.ptr, ...masking, T, B, F, u, act, ract, ws);
    } else {
      const dz = Tensor.empty([T, B, G * u]), dzr = Tensor.empty([T, B, 2 * u]), dzh = Tensor.empty([T, B, u]);
      const drh = Tensor.empty([B, u]), rkp = packedScratch([2 * u, u], [u, u]);
      K.gru_reset_before_seq_backward(...common, dh.ptr, dz.ptr, dzr.ptr, dzh.ptr, drh.ptr, rkp.ptr, p(dhSeq),
        h.ptr, z!.ptr, rec!.ptr, xt.ptr, kernel.ptr, recurrentKernel.ptr, ...masking, T, B, F, u, act, ract, ws);
    }
    if (dx) K.seq_permute_f32(dx.ptr, dxt!.ptr, T, B, F, rev, 0, 1);
    if (dStates[0]) K.axpy_f32(dStates[0].ptr, dh.ptr, 1, B * u);
    if (dStates[1]) K.axpy_f32(dStates[1].ptr, dc.ptr, 1, B * u);
  });
  if (!y.requiresGrad) for (const t of saved) t.dispose();
  return outputs;
}

export interface JordanOpArgs {
  activation: Activation;
  outputActivation: Activation;
  goBackwards?: boolean;
  returnSequences?: boolean;
  where?: string;
  /** [batch, timeSteps], 0 where a step is masked (as RecurrentOpArgs.mask). */
  mask?: Tensor | null;
  /** [batch, outputUnits], multiplies y_{t−1} where the cell reads it (as RecurrentOpArgs.recurrentMask). */
  recurrentMask?: Tensor | null;
}

/**
 * A Jordan network over x:(B, T, F): h_t = act(x_t·W + y_{t−1}·U + b), y_t = outAct(h_t·V + c).
 * kernel:(F, u), recurrentKernel:(o, u), bias:(u) | null, outputKernel:(u, o), outputBias:(o) | null;
 * initialOutput: y_0 (B, o) or null for zeros. Returns [output, yT]: output is the (B, T, o)
 * sequence of y with returnSequences, else y_T. One tape entry, as recurrentOp.
 */
export function jordanOp(x: Tensor, kernel: Tensor, recurrentKernel: Tensor, bias: Tensor | null, outputKernel: Tensor,
                         outputBias: Tensor | null, initialOutput: Tensor | null, args: JordanOpArgs): Tensor[] {
  const where = args.where ?? 'jordanRNN';
  const act = checkRecurrentActivation(args.activation, where).kind;
  const outAct = checkRecurrentActivation(args.outputActivation, where, 'outputActivation').kind;
  if (x.rank !== 3) throw new Error(`${where}: expects a sequence input [batch, timeSteps, features], got shape ${shapeStr(x.shape)}`);
  const [B, T, F] = x.shape;
  const [u, o] = outputKernel.shape;
  if (kernel.shape[0] !== F || kernel.shape[1] !== u) {
    throw new Error(`${where}: the kernel ${shapeStr(kernel.shape)} expects ${kernel.shape[0]} features per time step; got input shape ${shapeStr(x.shape)}`);
  }
  if (T < 1 || B < 1) throw new Error(`${where}: needs at least one sample and one time step, got input shape ${shapeStr(x.shape)}`);
  if (initialOutput && (initialOutput.rank !== 2 || initialOutput.shape[0] !== B || initialOutput.shape[1] !== o)) {
    throw new Error(`${where}: initial state must be [batch, outputUnits] = [${B},${o}] for input ${shapeStr(x.shape)}, got ${shapeStr(initialOutput.shape)}`);
  }
  const K = k(), ws = gemmWorkspace();
  const rev = args.goBackwards ? 1 : 0;
  const mask = timeMajorMask(args.mask, x, rev, where);
  checkRecurrentMask(args.recurrentMask, B, o, x, where);
  const rmask = args.recurrentMask ?? null, ym = rmask ? Tensor.empty([T, B, o]) : null;
  const xt = Tensor.empty([T, B, F]);
  K.seq_permute_f32(xt.ptr, x.ptr, B, T, F, 0, rev, 0);
  const y = Tensor.empty([T + 1, B, o]), h = Tensor.empty([T, B, u]);
  if (initialOutput) K.copy_f32(y.ptr, initialOutput.ptr, B * o);
  else K.fill_f32(y.ptr, B * o, 0);
  const p = (t: Tensor | null) => (t ? t.ptr : 0);
  const rkp = packedScratch([o, u], [u, o]);
  K.jordan_seq_forward(y.ptr, h.ptr, rkp.ptr, xt.ptr, kernel.ptr, recurrentKernel.ptr, p(bias), outputKernel.ptr, p(outputBias),
    p(mask), p(rmask), p(ym), T, B, F, u, o, act, outAct, ws);
  rkp.dispose();
  const yStep = B * o * 4;
  const last = Tensor.empty([B, o]);
  K.copy_f32(last.ptr, y.ptr + T * yStep, B * o);
  let out: Tensor;
  if (args.returnSequences) {
    out = Tensor.empty([B, T, o]);
    K.seq_permute_f32(out.ptr, y.ptr + yStep, T, B, o, 0, 0, 0);
  } else {
    out = Tensor.empty([B, o]);
    K.copy_f32(out.ptr, last.ptr, B * o);
  }
  const params = [kernel, recurrentKernel, bias, outputKernel, outputBias];
  const inputs = [x, ...params.filter((t): t is Tensor => t !== null), ...(initialOutput ? [initialOutput] : [])];
  recordMulti(inputs, [out, last], (dys, grads) => {
    const at = new Map(inputs.map((t, i) => [t, grads[i]]));
    const g = (t: Tensor | null) => (t ? at.get(t) ?? null : null);
    const dy = Tensor.zeros([B, o]);
    let dySeq: Tensor | null = null;
    if (dys[0] && args.returnSequences) {
      dySeq = Tensor.empty([T, B, o]);
      K.seq_permute_f32(dySeq.ptr, dys[0].ptr, B, T, o, 0, 0, 0);
    } else if (dys[0]) K.axpy_f32(dy.ptr, dys[0].ptr, 1, B * o);
    if (dys[1]) K.axpy_f32(dy.ptr, dys[1].ptr, 1, B * o);
    const dx = g(x), dxt = dx ? Tensor.empty([T, B, F]) : null;
    const dz = Tensor.empty([T, B, u]), dpy = Tensor.empty([T, B, o]), dh = Tensor.empty([B, u]);
    const carry = mask ? Tensor.empty([B, o]) : null, rkpT = packedScratch([u, o], [o, u]);
    K.jordan_seq_backward(p(dxt), p(g(kernel)), p(g(recurrentKernel)), p(g(bias)), p(g(outputKernel)), p(g(outputBias)),
      dy.ptr, dz.ptr, dpy.ptr, dh.ptr, rkpT.ptr, p(dySeq), y.ptr, h.ptr, xt.ptr, kernel.ptr, recurrentKernel.ptr, outputKernel.ptr,
      p(mask), p(carry), p(rmask), p(ym), T, B, F, u, o, act, outAct, ws);
    if (dx) K.seq_permute_f32(dx.ptr, dxt!.ptr, T, B, F, rev, 0, 1);
    const dInit = g(initialOutput);
    if (dInit) K.axpy_f32(dInit.ptr, dy.ptr, 1, B * o);
  });
  if (!out.requiresGrad) for (const t of [xt, y, h, mask, ym]) t?.dispose();
  return [out, last];
}
