// Convolution ops (NHWC): conv2d and conv1d with tfjs signatures, and the fused op the conv
// layers use (bias and activation in one tape entry). The geometry — padding per side and output
// size per axis — is computed once, here, by convGeometry; kernels only see integers.
// tfjs refuses dilation together with strides > 1; both work here. Padding 'full' (wide
// convolution) pads k_eff − 1 on each side; 'same' pads the odd cell at the bottom/right, as
// tfjs and Keras do.
import { record } from '../autograd';
import { Tensor, TensorLike, toTensor, shapeStr } from '../tensor';
import { k, malloc } from '../wasm';
import { withInts } from './scratch';
import { CONV_GEOMETRY_INTS } from '../kernels.generated';
import { Activation, ACTIVATION_KIND, resolveActivation, activationForwardRaw, activationBackwardRaw, backwardReadsInput } from './activation';

export type PaddingMode = 'valid' | 'same' | 'full';
/** A padding mode, or (ops only, as tfjs) a number of cells padded on every side. */
export type Padding = PaddingMode | number;

export interface AxisGeometry { padLo: number; padHi: number; out: number }

/**
 * Padding per side and output size along one axis. Throws `${where}: …` (naming the sizes) when
 * the dilated kernel does not fit the padded input.
 */
export function convGeometry(inSize: number, kernel: number, stride: number, dilation: number, padding: Padding,
                             where: string): AxisGeometry {
  const ke = (kernel - 1) * dilation + 1;
  let padLo: number, padHi: number;
  if (padding === 'valid') { padLo = 0; padHi = 0; }
  else if (padding === 'full') { padLo = ke - 1; padHi = ke - 1; }
  else if (padding === 'same') {
    const total = Math.max((Math.ceil(inSize / stride) - 1) * stride + ke - inSize, 0);
    padLo = Math.floor(total / 2); padHi = total - padLo;
  } else if (Number.isInteger(padding) && padding >= 0) { padLo = padding; padHi = padding; }
  else throw new Error(`${where}: padding must be 'valid', 'same', 'full' or a non-negative integer, got ${JSON.stringify(padding)}`);
  const span = inSize + padLo + padHi;
  if (ke > span) {
    throw new Error(`${where}: the kernel (size ${kernel}${dilation > 1 ? `, dilation ${dilation}: spans ${ke}` : ''}) is larger than ` +
      `the ${padding === 'valid' ? '' : 'padded '}input (size ${span}) with padding '${padding}'`);
  }
  return { padLo, padHi, out: Math.floor((span - ke) / stride) + 1 };
}

/** A 2-D convolution problem, as the kernels' i32 geometry block reads it. */
export interface Conv2DInfo {
  N: number; H: number; W: number; C: number; F: number; KH: number; KW: number;
  SH: number; SW: number; DH: number; DW: number; padTop: number; padLeft: number; OH: number; OW: number;
}

/** The kernels' geometry block, with the room after it where a call keeps its descriptors. */
function ints(g: Conv2DInfo): Int32Array {
  const block = new Int32Array(CONV_GEOMETRY_INTS);
  block.set([g.N, g.H, g.W, g.C, g.F, g.KH, g.KW, g.SH, g.SW, g.DH, g.DW, g.padTop, g.padLeft, g.OH, g.OW]);
  return block;
}

/** Runs fn with a scratch buffer of `bytes` in wasm memory, freed afterwards. */
export function withWorkspace<T>(bytes: number, fn: (ptr: number) => T): T {
  const p = malloc(Math.max(16, bytes), () => `a convolution workspace of ${bytes} bytes`);
  try { return fn(p); } finally { k().free(p); }
}

const FORWARD = 0, BACKWARD_DATA = 1, BACKWARD_FILTER = 2, FORWARD_POOLED = 3;

function runKernel(g: Conv2DInfo, which: number, call: (ws: number, gp: number) => void): void {
  withInts([ints(g)], (gp) => withWorkspace(k().conv2d_workspace_size(gp, which), (ws) => call(ws, gp)));
}

/** A positive integer or a pair of them (tfjs' `number | [number, number]`). */
export function pair(v: unknown, name: string, where: string): [number, number] {
  const p = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(p) || p.length !== 2 || !p.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${where}: ${name} must be a positive integer or a pair of them, got ${JSON.stringify(v)}`);
  }
  return [p[0], p[1]];
}

/**
 * y = act(x ⋆ filter + bias) as one tape entry: x:(N,H,W,C), filter:(KH,KW,C,F), bias:(F) or
 * null; y:(N,OH,OW,F), returned with shape `outShape` (same size). Backward accumulates dx,
 * dfilter and dbias straight from the kernels.
 */
export function conv2dCore(x: Tensor, filter: Tensor, bias: Tensor | null, act: Activation, g: Conv2DInfo,
                           outShape: number[]): Tensor {
  const K = k();
  const rows = g.N * g.OH * g.OW;
  const z = Tensor.empty(outShape);
  const linear = act.name === 'linear';
  // The activation runs in place unless its gradient needs the pre-activation values; an
  // elementwise one runs inside the kernel, on each band of rows while it is in cache.
  const keepZ = !linear && backwardReadsInput(act);
  const fused = !linear && !keepZ && act.kind !== ACTIVATION_KIND.softmax;
  runKernel(g, FORWARD, (ws, gp) => K.conv2d_forward(z.ptr, x.ptr, filter.ptr, bias ? bias.ptr : 0,
    fused ? act.kind : ACTIVATION_KIND.linear, act.alpha, ws, gp));
  const y = keepZ ? Tensor.empty(outShape) : z;
  if (!linear && !fused) activationForwardRaw(act, y.ptr, z.ptr, rows, g.F);
  const inputs = bias ? [x, filter, bias] : [x, filter];
  const out = record(inputs, y, (dy, [dx, df, db]) => {
    let dz = dy;
    if (!linear) {
      dz = Tensor.zeros(outShape);
      activationBackwardRaw(act, dz.ptr, dy.ptr, z.ptr, y.ptr, rows, g.F);
    }
    if (db) K.bias_backward_f32(db.ptr, dz.ptr, rows, g.F);
    if (df) runKernel(g, BACKWARD_FILTER, (ws, gp) => K.conv2d_backward_filter(df.ptr, x.ptr, dz.ptr, ws, gp));
    if (dx) runKernel(g, BACKWARD_DATA, (ws, gp) => K.conv2d_backward_data(dx.ptr, dz.ptr, filter.ptr, ws, gp));
  });
  if (y !== z && !out.requiresGrad) z.dispose();
  return out;
}

/**
 * Inference only (records nothing): maxPool 2×2 stride 2 'valid' of act(x ⋆ filter + bias), as one
 * kernel that pools each band of the convolution's rows while they are in cache, so the
 * convolution's output never goes to memory. Needs F ≥ 4, OH ≥ 2, OW ≥ 2 and an elementwise
 * activation (not softmax); y:(N, ⌊OH/2⌋, ⌊OW/2⌋, F).
 */
export function conv2dMaxPool2x2(x: Tensor, filter: Tensor, bias: Tensor | null, act: Activation, g: Conv2DInfo): Tensor {
  if (g.F < 4 || g.OH < 2 || g.OW < 2 || act.kind === ACTIVATION_KIND.softmax) {
    throw new Error(`internal: conv2dMaxPool2x2 cannot run ${g.F} filters on a ${g.OH}×${g.OW} output with ${act.name}`);
  }
  const y = Tensor.empty([g.N, g.OH >> 1, g.OW >> 1, g.F]);
  runKernel(g, FORWARD_POOLED, (ws, gp) => k().conv2d_forward_maxpool2x2(y.ptr, x.ptr, filter.ptr, bias ? bias.ptr : 0, act.kind,
    act.alpha, ws, gp));
  return y;
}

export interface ConvSpec {
  strides: [number, number];
  dilations: [number, number];
  /** One mode for both axes, or one per axis (conv1d leaves its unit height unpadded). */
  padding: Padding | [Padding, Padding];
}

/**
 * Checks x:(N,H,W,C) against filter:(KH,KW,C,F) and works out the geometry; `shown` spells the
 * shapes in errors (conv1d shows its own ranks).
 */
export function conv2dInfo(xShape: number[], fShape: number[], spec: ConvSpec, where: string,
                           shown: { x: number[]; filter: number[] } = { x: xShape, filter: fShape }): Conv2DInfo {
  const [N, H, W, C] = xShape, [KH, KW, Cf, F] = fShape;
  const got = `(input ${shapeStr(shown.x)}, filter ${shapeStr(shown.filter)})`;
  if ([...xShape, ...fShape].some((d) => d === 0)) throw new Error(`${where}: zero-sized input or filter ${got}`);
  if (Cf !== C) throw new Error(`${where}: the input has ${C} channels but the filter expects ${Cf} ${got}`);
  const [ph, pw] = Array.isArray(spec.padding) ? spec.padding : [spec.padding, spec.padding];
  const gh = convGeometry(H, KH, spec.strides[0], spec.dilations[0], ph, `${where} ${got}, height`);
  const gw = convGeometry(W, KW, spec.strides[1], spec.dilations[1], pw, `${where} ${got}, width`);
  return { N, H, W, C, F, KH, KW, SH: spec.strides[0], SW: spec.strides[1], DH: spec.dilations[0], DW: spec.dilations[1],
    padTop: gh.padLo, padLeft: gw.padLo, OH: gh.out, OW: gw.out };
}

function refuseNonDefault(where: string, name: string, value: unknown, allowed: unknown[]): void {
  if (value !== undefined && value !== null && !allowed.includes(value)) {
    throw new Error(`${where}: ${name} ${JSON.stringify(value)} is not supported (only ${allowed.map((a) => JSON.stringify(a)).join(' or ')})`);
  }
}

function tensorArgs(where: string, xIn: TensorLike, fIn: TensorLike, xRanks: number[], fRank: number) {
  const { t: x, made: madeX } = toTensor(xIn, where);
  const { t: f, made: madeF } = toTensor(fIn, where);
  // Tensors made here are freed now unless the tape kept them for backward (then the enclosing
  // tidy frees them).
  const release = (out?: Tensor) => { if (out?.requiresGrad) return; if (madeX) x.dispose(); if (madeF) f.dispose(); };
  if (!xRanks.includes(x.rank) || f.rank !== fRank) {
    release();
    throw new Error(`${where}: expected an input of rank ${xRanks.join(' or ')} and a filter of rank ${fRank} ` +
      `(got input ${shapeStr(x.shape)}, filter ${shapeStr(f.shape)})`);
  }
  return { x, f, release };
}

/**
 * tf.conv2d: x:(N,H,W,C) or (H,W,C), filter:(KH,KW,C,F) → (N,OH,OW,F) or (OH,OW,F).
 * pad: 'valid' | 'same' | 'full' | cells per side.
 */
export function conv2d(xIn: TensorLike, filterIn: TensorLike, strides: number | [number, number], pad: Padding,
                       dataFormat: 'NHWC' | 'NCHW' = 'NHWC', dilations: number | [number, number] = [1, 1],
                       dimRoundingMode?: string): Tensor {
  const where = 'conv2d';
  refuseNonDefault(where, 'dataFormat', dataFormat, ['NHWC']);
  refuseNonDefault(where, 'dimRoundingMode', dimRoundingMode, []);
  const spec = { strides: pair(strides, 'strides', where), dilations: pair(dilations, 'dilations', where), padding: pad };
  const { x, f, release } = tensorArgs(where, xIn, filterIn, [3, 4], 4);
  let out: Tensor | undefined;
  try {
    const xs = x.rank === 4 ? x.shape : [1, ...x.shape];
    const g = conv2dInfo(xs, f.shape, spec, where, { x: x.shape, filter: f.shape });
    const outShape = x.rank === 4 ? [g.N, g.OH, g.OW, g.F] : [g.OH, g.OW, g.F];
    out = conv2dCore(x, f, null, resolveActivation('linear', where), g, outShape);
    return out;
  } finally { release(out); }
}

/** tf.conv1d: x:(N,W,C) or (W,C), filter:(K,C,F) → (N,OW,F) or (OW,F); a 2-D convolution with H = 1. */
export function conv1d(xIn: TensorLike, filterIn: TensorLike, stride: number, pad: Padding,
                       dataFormat: 'NWC' | 'NCW' = 'NWC', dilation = 1, dimRoundingMode?: string): Tensor {
  const where = 'conv1d';
  refuseNonDefault(where, 'dataFormat', dataFormat, ['NWC']);
  refuseNonDefault(where, 'dimRoundingMode', dimRoundingMode, []);
  const s = pair(stride, 'stride', where)[0], d = pair(dilation, 'dilation', where)[0];
  const { x, f, release } = tensorArgs(where, xIn, filterIn, [2, 3], 3);
  let out: Tensor | undefined;
  try {
    const g = conv1dInfo(x.rank === 3 ? x.shape : [1, ...x.shape], f.shape, s, d, pad, where, x.shape);
    const outShape = x.rank === 3 ? [g.N, g.OW, g.F] : [g.OW, g.F];
    out = conv2dCore(x, f, null, resolveActivation('linear', where), g, outShape);
    return out;
  } finally { release(out); }
}

/** The 2-D geometry of a 1-D convolution x:(N,W,C) ⋆ filter:(K,C,F): height 1, kernel height 1. */
export function conv1dInfo(xShape: number[], fShape: number[], stride: number, dilation: number, padding: Padding,
                           where: string, shownX = xShape): Conv2DInfo {
  const [N, W, C] = xShape;
  return conv2dInfo([N, 1, W, C], [1, ...fShape], { strides: [1, stride], dilations: [1, dilation], padding: ['valid', padding] }, where,
    { x: shownX, filter: fShape });
}
