// SpatialDropout1D / 2D: dropout that drops whole channels (feature maps) of each sample, for
// inputs whose neighbouring steps or pixels are correlated. The mask is one draw per (sample,
// channel), seeded like Dropout, broadcast over the steps or pixels.
import { Tensor, ones } from '../tensor';
import { Layer, LayerArgs, SymbolicShape, CallContext, expectSingle, symShapeStr } from './layer';
import { single } from './core';
import { dropout as dropoutOp, SeedStream } from '../random';
import { mul } from '../ops/elementwise';
import { checkOptions, LAYER_KEYS, describe } from '../options';

export interface SpatialDropoutArgs extends LayerArgs { rate: number; seed?: number }

abstract class SpatialDropout extends Layer {
  readonly rate: number;
  readonly seed?: number;
  private readonly stream: SeedStream | null;
  protected abstract readonly rank: number;

  constructor(args: SpatialDropoutArgs, prefix: string) {
    super(args ?? {}, prefix);
    checkOptions(this.name, args, [...LAYER_KEYS, 'rate', 'seed', 'noiseShape', 'dataFormat']);
    const format = (args as { dataFormat?: unknown }).dataFormat;
    if (format != null && format !== 'channelsLast') throw new Error(`${this.name}: only dataFormat 'channelsLast' is supported, got ${describe(format)}`);
    if (!(typeof args?.rate === 'number' && args.rate >= 0 && args.rate < 1)) {
      throw new Error(`${this.name}: rate must be a number in [0, 1), got ${describe(args?.rate)}`);
    }
    if ((args as { noiseShape?: unknown }).noiseShape != null) throw new Error(`${this.name}: noiseShape is fixed (one draw per sample and channel)`);
    this.rate = args.rate;
    this.seed = args.seed ?? undefined;
    this.stream = this.seed === undefined ? null : new SeedStream(this.seed, this.name);
  }

  private checkRank(s: SymbolicShape): SymbolicShape {
    if (s.length !== this.rank) throw new Error(`${this.name}: expects inputs of rank ${this.rank}, got ${symShapeStr(s)}`);
    return s;
  }

  call(inputs: Tensor | Tensor[], ctx: CallContext): Tensor {
    const x = single(this, inputs);
    this.checkRank(x.shape);
    if (!ctx.training || this.rate === 0) return x;
    // [N, 1, ..., 1, C] of 0 or 1/(1 − rate), multiplied in with broadcasting.
    const keep = ones([x.shape[0], ...x.shape.slice(1, -1).map(() => 1), x.shape[x.rank - 1]]);
    const mask = dropoutOp(keep, this.rate, this.stream);
    keep.dispose();
    return mul(x, mask);
  }

  computeOutputShape(s: SymbolicShape | SymbolicShape[]): SymbolicShape { return this.checkRank(expectSingle(this, s)); }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noiseShape: null, seed: this.seed ?? null };
  }
}

export class SpatialDropout1D extends SpatialDropout {
  readonly className = 'SpatialDropout1D';
  protected readonly rank = 3;
  constructor(args: SpatialDropoutArgs) { super(args, 'spatial_dropout1d'); }
}

export class SpatialDropout2D extends SpatialDropout {
  readonly className = 'SpatialDropout2D';
  protected readonly rank = 4;
  constructor(args: SpatialDropoutArgs) { super(args, 'spatial_dropout2d'); }
  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), dataFormat: 'channelsLast' }; }
}
