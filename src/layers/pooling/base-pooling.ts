// The shared logic of the pooling layers (Keras' base_pooling / base_global_pooling): window
// options, output shapes and the tfjs config. 1-D pooling is 2-D pooling with height 1; global
// pooling is one window over all steps (or the whole image) giving (batch, channels).
import { Tensor } from '../../tensor';
import { Layer, LayerArgs, SymbolicShape, expectSingle, symShapeStr } from '../layer';
import { single } from '../core';
import { PaddingMode } from '../../ops/conv';
import { PoolKind, Pool2DInfo, pool2dCore, pool2dInfo } from '../../ops/pool';
import { LAYER_KEYS, checkOptions, describe } from '../../options';
import { perAxis, checkLayout, spatialOut } from '../conv/base-conv';

export interface PoolingArgs extends LayerArgs {
  /** Window size: one integer for every axis or one per axis (default 2). */
  poolSize?: number | number[];
  /** Default: poolSize. */
  strides?: number | number[];
  padding?: 'valid' | 'same';
  dataFormat?: 'channelsLast';
}

export interface GlobalPoolingArgs extends LayerArgs {
  dataFormat?: 'channelsLast';
  /** Only false (Keras writes it). */
  keepdims?: false;
}

const POOL_KEYS = [...LAYER_KEYS, 'poolSize', 'strides', 'padding', 'dataFormat'];
const GLOBAL_KEYS = [...LAYER_KEYS, 'dataFormat', 'keepdims'];

/** Checks that an input has rank `rank` + 2 with known channels. */
function checkInput(layer: Layer, s: SymbolicShape, rank: 1 | 2): void {
  if (s.length !== rank + 2) {
    const layout = rank === 2 ? '[batch, height, width, channels]' : '[batch, steps, channels]';
    throw new Error(`${layer.name}: expects input of rank ${rank + 2} ${layout}, got shape ${symShapeStr(s)}`);
  }
}

/** The NHWC view of a 1-D or 2-D input shape. */
function as4d(shape: number[], rank: 1 | 2): number[] {
  return rank === 2 ? shape : [shape[0], 1, shape[1], shape[2]];
}

export abstract class BasePooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;

  constructor(readonly rank: 1 | 2, readonly kind: PoolKind, args: PoolingArgs = {}) {
    super(args, `${kind === 'max' ? 'max' : 'average'}_pooling${rank}d`);
    checkOptions(this.name, args, POOL_KEYS);
    this.poolSize = perAxis(this.name, 'poolSize', args.poolSize, rank, 2);
    this.strides = perAxis(this.name, 'strides', args.strides ?? this.poolSize, rank);
    this.padding = checkLayout(this.name, args.padding, args.dataFormat, ['valid', 'same']);
  }

  private geometry(x: Tensor): Pool2DInfo {
    checkInput(this, x.shape, this.rank);
    const [size, strides] = this.rank === 2 ? [this.poolSize, this.strides] : [[1, ...this.poolSize], [1, ...this.strides]];
    return pool2dInfo(as4d(x.shape, this.rank), [size[0], size[1]], [strides[0], strides[1]],
      this.rank === 2 ? this.padding : ['valid', this.padding], this.name, { x: x.shape, size: this.poolSize });
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    const g = this.geometry(x);
    return pool2dCore(x, this.kind, g, this.rank === 2 ? [g.N, g.OH, g.OW, g.C] : [g.N, g.OW, g.C]);
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = expectSingle(this, inputShape);
    checkInput(this, s, this.rank);
    const ones = this.poolSize.map(() => 1);
    return [s[0], ...spatialOut(this.name, s.slice(1, -1), this.poolSize, this.strides, ones, this.padding), s[s.length - 1]];
  }

  override getConfig(): Record<string, unknown> {
    const cfg: Record<string, unknown> = { ...super.getConfig(), poolSize: this.poolSize, padding: this.padding, strides: this.strides };
    if (this.rank === 2) cfg.dataFormat = 'channelsLast';
    return cfg;
  }
}

export abstract class BaseGlobalPooling extends Layer {
  constructor(readonly rank: 1 | 2, readonly kind: PoolKind, args: GlobalPoolingArgs = {}) {
    super(args, `global_${kind === 'max' ? 'max' : 'average'}_pooling${rank}d`);
    checkOptions(this.name, args, GLOBAL_KEYS);
    checkLayout(this.name, 'valid', args.dataFormat, ['valid']);
    if (args.keepdims !== undefined && args.keepdims !== null && args.keepdims !== false) {
      throw new Error(`${this.name}: keepdims ${describe(args.keepdims)} is not supported (only false)`);
    }
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    checkInput(this, x.shape, this.rank);
    const s = as4d(x.shape, this.rank);
    const g = pool2dInfo(s, [s[1], s[2]], [1, 1], 'valid', this.name, { x: x.shape, size: x.shape.slice(1, -1) });
    return pool2dCore(x, this.kind, g, [g.N, g.C]);
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = expectSingle(this, inputShape);
    checkInput(this, s, this.rank);
    return [s[0], s[s.length - 1]];
  }

  override getConfig(): Record<string, unknown> {
    const cfg = super.getConfig();
    return this.rank === 2 ? { ...cfg, dataFormat: 'channelsLast' } : cfg;
  }
}
