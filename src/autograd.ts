// The tape. Ops record a backward closure when any input requires a gradient and a tape is
// recording; backward() walks the tape in reverse. Backward kernels accumulate (+=) into
// zero-initialized gradient buffers, so a tensor used twice simply receives two contributions.
import { Tensor, tidy, Shape, shapeStr } from './tensor';
import { k } from './wasm';

export type BackwardFn = (dy: Tensor, dx: (Tensor | null)[]) => void;
/** The backward of an op with several outputs: dys[i] is null for an output nothing depends on. */
export type MultiBackwardFn = (dys: (Tensor | null)[], dx: (Tensor | null)[]) => void;

interface Entry {
  inputs: Tensor[];
  outputs: Tensor[];
  backward: MultiBackwardFn;
}

const tapes: Entry[][] = [];

export function recording(): boolean { return tapes.length > 0; }

/** Called by every op after computing `output` from `inputs`. */
export function record(inputs: Tensor[], output: Tensor, backward: BackwardFn): Tensor {
  recordMulti(inputs, [output], (dys, dx) => backward(dys[0]!, dx));
  return output;
}

/** record() for an op with several outputs (an RNN's sequence and last states): one tape entry. */
export function recordMulti(inputs: Tensor[], outputs: Tensor[], backward: MultiBackwardFn): Tensor[] {
  if (tapes.length === 0) return outputs;
  let needs = false;
  for (const x of inputs) if (x.requiresGrad) { needs = true; break; }
  if (!needs) return outputs;
  for (const o of outputs) o.requiresGrad = true;
  tapes[tapes.length - 1].push({ inputs, outputs, backward });
  return outputs;
}

/** Where the gradient of a parameter goes: parameters in an arena point into the gradient arena. */
export const gradSlots = new WeakMap<Tensor, Tensor>();

/**
 * Runs fn with a fresh tape, then backpropagates from its (scalar or dy-weighted) result into `wrt`.
 * With `intoSlots` (a model's training step), gradients of tensors with a slot in `gradSlots` are
 * accumulated there (the caller zeroed them); otherwise every gradient is a fresh tensor.
 */
export function withTape<T extends Tensor>(fn: () => T, intoSlots = false):
    { value: T; backward: (wrt: Tensor[], dy?: Tensor) => (Tensor | null)[] } {
  const tape: Entry[] = [];
  tapes.push(tape);
  let value: T;
  try {
    value = fn();
  } finally {
    tapes.pop();
  }
  const backward = (wrt: Tensor[], dy?: Tensor): (Tensor | null)[] => {
    if (!(value instanceof Tensor)) throw new Error('gradient: the function must return a Tensor');
    if (dy && dy.size !== value.size) {
      throw new Error(`gradient: dy ${shapeStr(dy.shape)} does not match the output ${shapeStr(value.shape)}`);
    }
    const grads = new Map<Tensor, Tensor>();
    const seed = Tensor.empty(value.shape);
    if (dy) k().copy_f32(seed.ptr, dy.ptr, value.size);
    else k().fill_f32(seed.ptr, value.size, 1);
    grads.set(value, seed);
    const wanted = new Set(wrt);
    const gradOf = (t: Tensor): Tensor => {
      let g = grads.get(t);
      if (!g) {
        g = (intoSlots ? gradSlots.get(t) : undefined) ?? Tensor.zeros(t.shape);
        grads.set(t, g);
      }
      return g;
    };
    for (let i = tape.length - 1; i >= 0; i--) {
      const e = tape[i];
      const gys = e.outputs.map((o) => grads.get(o) ?? null);
      if (gys.every((g) => g === null)) continue;
      const gx = e.inputs.map((x) => (x.requiresGrad ? gradOf(x) : null));
      tidy(() => e.backward(gys, gx));
      e.outputs.forEach((o, j) => {
        if (gys[j] && !wanted.has(o)) {
          gys[j]!.dispose();
          grads.delete(o);
        }
      });
    }
    const out = wrt.map((t) => grads.get(t) ?? null);
    for (const [t, g] of grads) if (!wanted.has(t) && !(intoSlots && gradSlots.get(t) === g)) g.dispose();
    return out;
  };
  return { value: value!, backward };
}

type GradFn = (...args: Tensor[]) => Tensor;

function gradsImpl(f: GradFn, args: Tensor[], dy?: Tensor): { value: Tensor; grads: Tensor[] } {
  const saved = args.map((a) => a.requiresGrad);
  for (const a of args) a.requiresGrad = true;
  try {
    let value!: Tensor;
    const grads = tidy(() => {
      const tape = withTape(() => f(...args));
      value = tape.value;
      const gs = tape.backward(args, dy).map((g, i) => g ?? Tensor.zeros(args[i].shape));
      return [...gs, value];
    });
    grads.pop();
    value.requiresGrad = false;
    return { value, grads };
  } finally {
    args.forEach((a, i) => { a.requiresGrad = saved[i]; });
  }
}

function requireFunction(f: unknown, op: string): void {
  if (typeof f !== 'function') throw new Error(`${op}: expected a function of tensors, got ${typeof f}`);
}

/** grad(f)(x, dy?) is d f(x) / dx; f maps one tensor to one tensor (summed, or weighted by dy). */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  requireFunction(f, 'grad');
  return (x, dy) => {
    const { value, grads } = gradsImpl(f as GradFn, [x], dy);
    value.dispose();
    return grads[0];
  };
}

/** grads(f)(args, dy?) are the gradients of f(...args) with respect to each argument. */
export function grads(f: GradFn): (args: Tensor[], dy?: Tensor) => Tensor[] {
  requireFunction(f, 'grads');
  return (args, dy) => {
    const { value, grads: g } = gradsImpl(f, args, dy);
    value.dispose();
    return g;
  };
}

/** valueAndGrads(f)(args, dy?) gives f's value and its gradients in one pass. */
export function valueAndGrads(f: GradFn): (args: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  requireFunction(f, 'valueAndGrads');
  return (args, dy) => gradsImpl(f, args, dy);
}

/** Shape assertion used by ops: throws `${op}: ${msg}` naming the shapes. */
export function assertShapes(cond: boolean, op: string, msg: string, ...shapes: Shape[]): void {
  if (!cond) throw new Error(`${op}: ${msg} (got ${shapes.map(shapeStr).join(' and ')})`);
}
