// Activation functions and unary math: differentiable ops on tensors, plus raw helpers that the
// dense / conv / recurrent ops call on their own buffers (one kernel call each, no tensors).
// Formulas follow TensorFlow.js: hardSigmoid = clip(0.2x + 0.5, 0, 1), selu with tfjs' constants,
// gelu in its exact erf form (Keras 3 `approximate=False`, tfjs 'gelu'), step = x > 0 ? 1 : 0,
// sign ∈ {-1, 0, 1}. step and sign have a zero gradient, unless a layer asks for the clipped
// straight-through estimator (withStraightThrough): then their backward is that of clip(x, -1, 1).
import { record } from '../autograd';
import { Tensor, TensorLike, toTensor, shapeStr } from '../tensor';
import { k, heapF32 } from '../wasm';
import * as G from '../kernels.generated';

/** Every activation name a layer accepts (API.md). */
export const ACTIVATIONS = ['linear', 'sigmoid', 'hardSigmoid', 'tanh', 'relu', 'relu6', 'leakyRelu', 'elu',
  'selu', 'softplus', 'softsign', 'swish', 'gelu', 'softmax', 'step', 'sign'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Kernel numbering, the `kind` argument of assembly/kernels/activation.ts (its exports, generated). */
export const ACTIVATION_KIND: Readonly<Record<ActivationName, number>> = {
  linear: G.ACT_LINEAR, sigmoid: G.ACT_SIGMOID, hardSigmoid: G.ACT_HARD_SIGMOID, tanh: G.ACT_TANH, relu: G.ACT_RELU,
  relu6: G.ACT_RELU6, leakyRelu: G.ACT_LEAKY_RELU, elu: G.ACT_ELU, selu: G.ACT_SELU, softplus: G.ACT_SOFTPLUS,
  softsign: G.ACT_SOFTSIGN, swish: G.ACT_SWISH, gelu: G.ACT_GELU, step: G.ACT_STEP, sign: G.ACT_SIGN, softmax: G.ACT_SOFTMAX,
};
export const UNARY_KIND = { exp: G.UNARY_EXP, log: G.UNARY_LOG, sqrt: G.UNARY_SQRT, square: G.UNARY_SQUARE,
  neg: G.UNARY_NEG, abs: G.UNARY_ABS, floor: G.UNARY_FLOOR, ceil: G.UNARY_CEIL, round: G.UNARY_ROUND, trunc: G.UNARY_TRUNC,
  reciprocal: G.UNARY_RECIPROCAL, rsqrt: G.UNARY_RSQRT, log1p: G.UNARY_LOG1P, expm1: G.UNARY_EXPM1 } as const;
/** clip(x, -1, 1): its gradient (dy where |x| <= 1) is the clipped straight-through estimator. */
export const HARD_TANH_KIND = G.ACT_HARD_TANH;

/**
 * The parameter each kind takes, and its default: leakyRelu's negative slope (0.2, as tf.leakyRelu
 * and Keras 3's `leaky_relu` activation; the leakyReLU *layer* defaults to 0.3 and passes it),
 * elu's alpha (1), swish's beta (1). Other kinds ignore alpha.
 */
export const DEFAULT_ALPHA: Readonly<Partial<Record<ActivationName, number>>> = { leakyRelu: 0.2, elu: 1, swish: 1 };

/** Python/Keras spellings, accepted so that saved Keras/tfjs models resolve. */
const ALIASES = {
  hard_sigmoid: 'hardSigmoid', leaky_relu: 'leakyRelu', silu: 'swish',
} as const satisfies Readonly<Record<string, ActivationName>>;

/** Every activation name an option or `nn.activation` accepts: the names above and Keras' spellings. */
export type ActivationIdentifier = ActivationName | keyof typeof ALIASES;

/** A resolved activation: its canonical name, kernel kind and parameter. */
export interface Activation {
  readonly name: ActivationName;
  readonly kind: number;
  readonly alpha: number;
  /** step/sign only: backward passes dy where |x| <= 1 (clipped straight-through estimator). */
  readonly straightThrough?: boolean;
}

/** The kernel kind whose backward gives this activation's gradient. */
function backwardKind(act: Activation): number { return act.straightThrough ? HARD_TANH_KIND : act.kind; }

/**
 * `act` with the clipped straight-through estimator when `on` (step and sign only: their true
 * gradient is zero, so a perceptron layer opts in to training through them).
 */
export function withStraightThrough(act: Activation, on: boolean | undefined, where: string): Activation {
  if (!on) return act;
  if (act.name !== 'step' && act.name !== 'sign') {
    throw new Error(`${where}: straightThrough applies to the step and sign activations only (got '${act.name}')`);
  }
  return Object.freeze({ ...act, straightThrough: true });
}

function isActivation(a: unknown): a is Activation {
  return typeof a === 'object' && a !== null && typeof (a as Activation).kind === 'number' &&
    typeof (a as Activation).name === 'string';
}

/**
 * Turns an activation name (undefined → 'linear') into `{ name, kind, alpha }`; `where` names the
 * caller in errors. `alpha` overrides the kind's default parameter (see DEFAULT_ALPHA).
 */
export function resolveActivation(spec: string | Activation | undefined | null, where: string, alpha?: number): Activation {
  if (isActivation(spec)) return alpha === undefined ? spec : resolveActivation(spec.name, where, alpha);
  const raw = spec ?? 'linear';
  if (typeof raw !== 'string') throw new Error(`${where}: activation must be a name, got ${typeof raw}`);
  const name = (ACTIVATIONS as readonly string[]).includes(raw) ? raw as ActivationName : (ALIASES as Record<string, ActivationName>)[raw];
  if (!name) throw new Error(`${where}: unknown activation '${raw}'; known: ${ACTIVATIONS.join(', ')}`);
  const a = alpha ?? DEFAULT_ALPHA[name] ?? 0;
  if (!Number.isFinite(a)) throw new Error(`${where}: ${name} parameter must be a finite number (got ${alpha})`);
  return Object.freeze({ name, kind: ACTIVATION_KIND[name], alpha: a });
}

/**
 * Whether activationBackwardRaw reads the pre-activation x. When it does not, the forward may
 * run in place (y over x) and only y needs keeping for backward.
 */
export function backwardReadsInput(act: Activation): boolean {
  return act.name === 'swish' || act.name === 'gelu' || !!act.straightThrough ||
    ((act.name === 'leakyRelu' || act.name === 'elu') && act.alpha < 0);
}

/** y:(rows,cols) = act(x:(rows,cols)), raw pointers; softmax is per row, the rest elementwise. y may equal x. */
export function activationForwardRaw(act: Activation, yPtr: number, xPtr: number, rows: number, cols: number): void {
  if (act.kind === ACTIVATION_KIND.softmax) k().softmax_forward(yPtr, xPtr, rows, cols);
  else k().act_forward_f32(yPtr, xPtr, rows * cols, act.kind, act.alpha);
}

/** dx:(rows,cols) += dy · act'(x), given x (pre-activation) and y (output). Accumulates. */
export function activationBackwardRaw(act: Activation, dxPtr: number, dyPtr: number, xPtr: number, yPtr: number,
                                      rows: number, cols: number): void {
  if (act.kind === ACTIVATION_KIND.softmax) k().softmax_backward(dxPtr, dyPtr, yPtr, rows, cols);
  else k().act_backward_f32(dxPtr, dyPtr, xPtr, yPtr, rows * cols, backwardKind(act), act.alpha);
}

/** One elementwise kernel kind as a differentiable op (its gradient from `gradKind`, normally the same). */
export function elementwise(op: string, xIn: TensorLike, kind: number, alpha: number, gradKind = kind): Tensor {
  const { t: x, made } = toTensor(xIn, op);
  const y = Tensor.empty(x.shape);
  k().act_forward_f32(y.ptr, x.ptr, x.size, kind, alpha);
  const out = record([x], y, (dy, [dx]) => {
    if (dx) k().act_backward_f32(dx.ptr, dy.ptr, x.ptr, y.ptr, x.size, gradKind, alpha);
  });
  if (made) x.dispose(); // a tensor made here never requires a gradient, so nothing recorded it
  return out;
}

/** Softmax or log-softmax over the last axis, as a differentiable op. */
function rowwise(op: 'softmax' | 'logSoftmax', xIn: TensorLike, dim: number): Tensor {
  const { t: x, made } = toTensor(xIn, op);
  if (x.rank === 0) throw new Error(`${op}: needs a tensor of rank >= 1 (got shape ${shapeStr(x.shape)})`);
  if (dim !== -1 && dim !== x.rank - 1) {
    throw new Error(`${op}: only the last axis is supported (got dim ${dim} for shape ${shapeStr(x.shape)})`);
  }
  const cols = x.shape[x.rank - 1];
  const rows = cols === 0 ? 0 : x.size / cols;
  const y = Tensor.empty(x.shape);
  const K = k();
  if (op === 'softmax') K.softmax_forward(y.ptr, x.ptr, rows, cols);
  else K.log_softmax_forward(y.ptr, x.ptr, rows, cols);
  const out = record([x], y, (dy, [dx]) => {
    if (!dx) return;
    if (op === 'softmax') K.softmax_backward(dx.ptr, dy.ptr, y.ptr, rows, cols);
    else K.log_softmax_backward(dx.ptr, dy.ptr, y.ptr, rows, cols);
  });
  if (made) x.dispose();
  return out;
}

/** Applies an activation by name (or resolved Activation); softmax runs over the last axis. */
export function activation(x: TensorLike, act: ActivationIdentifier | Activation): Tensor {
  const a = resolveActivation(act, 'activation');
  if (a.kind === ACTIVATION_KIND.softmax) return rowwise('softmax', x, -1);
  return elementwise(a.name, x, a.kind, a.alpha, backwardKind(a));
}

const named = (name: ActivationName) => (x: TensorLike): Tensor => elementwise(name, x, ACTIVATION_KIND[name], 0);

export const relu = named('relu');
export const relu6 = named('relu6');
export const sigmoid = named('sigmoid');
export const hardSigmoid = named('hardSigmoid');
export const tanh = named('tanh');
export const selu = named('selu');
export const softplus = named('softplus');
export const softsign = named('softsign');
export const gelu = named('gelu');
/** 1 where x > 0, else 0; zero gradient. */
export const step = named('step');
/** -1, 0 or 1; zero gradient. */
export const sign = named('sign');

/** x > 0 ? x : alpha·x (alpha defaults to 0.2 as in tf.leakyRelu). */
export function leakyRelu(x: TensorLike, alpha = DEFAULT_ALPHA.leakyRelu!): Tensor {
  return elementwise('leakyRelu', x, ACTIVATION_KIND.leakyRelu, resolveActivation('leakyRelu', 'leakyRelu', alpha).alpha);
}

/** x > 0 ? x : alpha·(e^x - 1). */
export function elu(x: TensorLike, alpha = DEFAULT_ALPHA.elu!): Tensor {
  return elementwise('elu', x, ACTIVATION_KIND.elu, resolveActivation('elu', 'elu', alpha).alpha);
}

/**
 * x · sigmoid(beta·x) (beta = 1 is SiLU). beta is a number, or a one-element tensor that then
 * gets a gradient too (the swish layer's learned beta).
 */
export function swish(x: TensorLike, beta: number | Tensor = DEFAULT_ALPHA.swish!): Tensor {
  if (!(beta instanceof Tensor)) return elementwise('swish', x, ACTIVATION_KIND.swish, resolveActivation('swish', 'swish', beta).alpha);
  if (beta.size !== 1) throw new Error(`swish: beta must hold one value (got shape ${shapeStr(beta.shape)})`);
  const b = heapF32()[beta.ptr >>> 2];
  if (!Number.isFinite(b)) throw new Error(`swish: beta must be finite (got ${b})`);
  const { t: xt, made } = toTensor(x, 'swish');
  const y = Tensor.empty(xt.shape);
  const K = k();
  K.act_forward_f32(y.ptr, xt.ptr, xt.size, ACTIVATION_KIND.swish, b);
  const out = record([xt, beta], y, (dy, [dx, dbeta]) => {
    if (dx) K.act_backward_f32(dx.ptr, dy.ptr, xt.ptr, y.ptr, xt.size, ACTIVATION_KIND.swish, b);
    if (dbeta) K.swish_beta_grad_f32(dbeta.ptr, dy.ptr, xt.ptr, xt.size, b);
  });
  if (made && !out.requiresGrad) xt.dispose(); // else dbeta reads it: the enclosing tidy frees it
  return out;
}

/** Softmax over the last axis (dim must be -1 or rank-1, as in tfjs). */
export function softmax(x: TensorLike, dim = -1): Tensor { return rowwise('softmax', x, dim); }

/** log(softmax(x)) over the last axis, computed stably. */
export function logSoftmax(x: TensorLike, dim = -1): Tensor { return rowwise('logSoftmax', x, dim); }

export const exp = (x: TensorLike): Tensor => elementwise('exp', x, UNARY_KIND.exp, 0);
export const log = (x: TensorLike): Tensor => elementwise('log', x, UNARY_KIND.log, 0);
export const sqrt = (x: TensorLike): Tensor => elementwise('sqrt', x, UNARY_KIND.sqrt, 0);
export const square = (x: TensorLike): Tensor => elementwise('square', x, UNARY_KIND.square, 0);
export const neg = (x: TensorLike): Tensor => elementwise('neg', x, UNARY_KIND.neg, 0);
/** |x|; its gradient is sign(x) (0 at 0). */
export const abs = (x: TensorLike): Tensor => elementwise('abs', x, UNARY_KIND.abs, 0);
/** Rounds down; zero gradient (as tfjs). */
export const floor = (x: TensorLike): Tensor => elementwise('floor', x, UNARY_KIND.floor, 0);
/** Rounds up; zero gradient. */
export const ceil = (x: TensorLike): Tensor => elementwise('ceil', x, UNARY_KIND.ceil, 0);
/** Rounds half to even (banker's rounding, as tf.round); zero gradient. */
export const round = (x: TensorLike): Tensor => elementwise('round', x, UNARY_KIND.round, 0);
/** 1 / x. */
export const reciprocal = (x: TensorLike): Tensor => elementwise('reciprocal', x, UNARY_KIND.reciprocal, 0);
/** 1 / sqrt(x). */
export const rsqrt = (x: TensorLike): Tensor => elementwise('rsqrt', x, UNARY_KIND.rsqrt, 0);
/** log(1 + x), accurate for small x. */
export const log1p = (x: TensorLike): Tensor => elementwise('log1p', x, UNARY_KIND.log1p, 0);
/** e^x - 1, accurate for small x. */
export const expm1 = (x: TensorLike): Tensor => elementwise('expm1', x, UNARY_KIND.expm1, 0);

