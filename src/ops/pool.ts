// Pooling ops (NHWC): maxPool and avgPool with tfjs signatures, and the core the pooling layers
// use (1-D pooling is height 1; global pooling is one window over the whole input). Windows are
// clipped to the input: average pooling divides by the real cells only, as tfjs does.
import { record, recording } from '../autograd';
import { Tensor, TensorLike, toTensor, shapeStr } from '../tensor';
import { k } from '../wasm';
import { withInts } from './scratch';
import { POOL_GEOMETRY_INTS } from '../kernels.generated';
import { Padding, convGeometry, pair } from './conv';

export interface Pool2DInfo {
  N: number; H: number; W: number; C: number; KH: number; KW: number;
  SH: number; SW: number; padTop: number; padLeft: number; OH: number; OW: number;
}

export type PoolKind = 'max' | 'avg';

/**
 * Geometry of pooling x:(N,H,W,C) with windows size[0]×size[1]; `shown` gives the input shape and
 * pool size as the caller's errors should name them (1-D pooling has no height).
 */
export function pool2dInfo(xShape: number[], size: [number, number], strides: [number, number],
                           padding: Padding | [Padding, Padding], where: string,
                           shown: { x: number[]; size: number[] } = { x: xShape, size }): Pool2DInfo {
  const [N, H, W, C] = xShape;
  const got = `(input ${shapeStr(shown.x)}, pool size ${shapeStr(shown.size)})`;
  if (xShape.some((d) => d === 0)) throw new Error(`${where}: zero-sized input ${got}`);
  const [ph, pw] = Array.isArray(padding) ? padding : [padding, padding];
  const gh = convGeometry(H, size[0], strides[0], 1, ph, `${where} ${got}, height`);
  const gw = convGeometry(W, size[1], strides[1], 1, pw, `${where} ${got}, width`);
  return { N, H, W, C, KH: size[0], KW: size[1], SH: strides[0], SW: strides[1], padTop: gh.padLo, padLeft: gw.padLo,
    OH: gh.out, OW: gw.out };
}

/** The kernels' geometry block, with the room after it where a call keeps its window. */
function ints(g: Pool2DInfo): Int32Array {
  const block = new Int32Array(POOL_GEOMETRY_INTS);
  block.set([g.N, g.H, g.W, g.C, g.KH, g.KW, g.SH, g.SW, g.padTop, g.padLeft, g.OH, g.OW]);
  return block;
}

/** Max or average pooling of x:(N,H,W,C) as one tape entry; the result takes `outShape` (same size). */
export function pool2dCore(x: Tensor, kind: PoolKind, g: Pool2DInfo, outShape: number[]): Tensor {
  const K = k();
  const y = Tensor.empty(outShape);
  if (kind === 'avg') {
    withInts([ints(g)], (gp) => K.avgpool2d_forward(y.ptr, x.ptr, gp));
    return record([x], y, (dy, [dx]) => {
      if (dx) withInts([ints(g)], (gp) => K.avgpool2d_backward(dx.ptr, dy.ptr, gp));
    });
  }
  // The winners' flat indices (i32 bits in a tensor's buffer), found only when backward will need them.
  if (!(recording() && x.requiresGrad)) {
    withInts([ints(g)], (gp) => K.maxpool2d_forward(y.ptr, 0, x.ptr, gp));
    return y;
  }
  const winners = Tensor.empty(outShape);
  withInts([ints(g)], (gp) => K.maxpool2d_forward(y.ptr, winners.ptr, x.ptr, gp));
  return record([x], y, (dy, [dx]) => {
    if (dx) K.maxpool2d_backward(dx.ptr, dy.ptr, winners.ptr, dy.size);
  });
}

function pool(kind: PoolKind, where: string, xIn: TensorLike, filterSize: number | [number, number],
              strides: number | [number, number], pad: Padding, dimRoundingMode?: string): Tensor {
  if (dimRoundingMode !== undefined && dimRoundingMode !== null) {
    throw new Error(`${where}: dimRoundingMode ${JSON.stringify(dimRoundingMode)} is not supported`);
  }
  const size = pair(filterSize, 'filterSize', where), st = pair(strides, 'strides', where);
  const { t: x, made } = toTensor(xIn, where);
  try {
    if (x.rank !== 3 && x.rank !== 4) throw new Error(`${where}: expected an input of rank 3 or 4, got ${shapeStr(x.shape)}`);
    const g = pool2dInfo(x.rank === 4 ? x.shape : [1, ...x.shape], size, st, pad, where, { x: x.shape, size });
    const outShape = x.rank === 4 ? [g.N, g.OH, g.OW, g.C] : [g.OH, g.OW, g.C];
    return pool2dCore(x, kind, g, outShape);
  } finally { if (made) x.dispose(); }
}

/** tf.maxPool: x:(N,H,W,C) or (H,W,C); pad 'valid' | 'same' | cells per side. */
export function maxPool(x: TensorLike, filterSize: number | [number, number], strides: number | [number, number],
                        pad: Padding, dimRoundingMode?: string): Tensor {
  return pool('max', 'maxPool', x, filterSize, strides, pad, dimRoundingMode);
}

/** tf.avgPool: as maxPool, averaging over each window's real cells. */
export function avgPool(x: TensorLike, filterSize: number | [number, number], strides: number | [number, number],
                        pad: Padding, dimRoundingMode?: string): Tensor {
  return pool('avg', 'avgPool', x, filterSize, strides, pad, dimRoundingMode);
}
