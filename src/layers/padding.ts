// ZeroPadding1D / ZeroPadding2D: zeros added around the steps of [N, T, C] or the rows and columns
// of [N, H, W, C] (channels last). Padding is given as in tfjs/Keras: one number for every side, a
// pair, or (2-D) a pair of pairs [[top, bottom], [left, right]].
import { Tensor } from '../tensor';
import { Layer, LayerArgs, SymbolicShape, expectSingle, symShapeStr } from './layer';
import { single } from './core';
import { checkOptions, LAYER_KEYS, describe } from '../options';
import { pad } from '../ops/combine';

type Pair = [number, number];

function isSize(v: unknown): v is number { return typeof v === 'number' && Number.isInteger(v) && v >= 0; }

/** [before, after] from a number (both sides) or a pair, or a clear error. */
function pairOf(v: unknown, what: string, where: string): Pair {
  if (isSize(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every(isSize)) return [v[0], v[1]];
  throw new Error(`${where}: ${what} must be a non-negative integer or a pair of them, got ${describe(v)}`);
}

abstract class ZeroPadding extends Layer {
  /** [before, after] per padded axis (the axes after the batch, before the channels). */
  protected abstract readonly pads: Pair[];

  /** The input shape checked to have the rank this layer pads. */
  protected checkRank(s: SymbolicShape): SymbolicShape {
    const rank = this.pads.length + 2;
    if (s.length !== rank) {
      throw new Error(`${this.name}: expects inputs of rank ${rank} (batch, ${rank === 3 ? 'steps' : 'rows, columns'}, channels), got ${symShapeStr(s)}`);
    }
    return s;
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const x = single(this, inputs);
    this.checkRank(x.shape);
    return pad(x, [[0, 0], ...this.pads, [0, 0]]);
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const s = this.checkRank(expectSingle(this, inputShape));
    return s.map((d, i) => (i === 0 || i === s.length - 1 || d === null ? d : d + this.pads[i - 1][0] + this.pads[i - 1][1]));
  }
}

export class ZeroPadding1D extends ZeroPadding {
  readonly className = 'ZeroPadding1D';
  protected readonly pads: Pair[];
  constructor(args: LayerArgs & { padding?: number | Pair } = {}) {
    super(args ?? {}, 'zero_padding1d');
    checkOptions(this.name, args, [...LAYER_KEYS, 'padding']);
    this.pads = [pairOf(args?.padding ?? 1, 'padding', this.name)];
  }
  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), padding: this.pads[0] }; }
}

export class ZeroPadding2D extends ZeroPadding {
  readonly className = 'ZeroPadding2D';
  protected readonly pads: Pair[];
  constructor(args: LayerArgs & { padding?: number | Pair | [Pair, Pair]; dataFormat?: 'channelsLast' } = {}) {
    super(args ?? {}, 'zero_padding2d');
    checkOptions(this.name, args, [...LAYER_KEYS, 'padding', 'dataFormat']);
    if (args?.dataFormat !== undefined && args.dataFormat !== null && args.dataFormat !== 'channelsLast') {
      throw new Error(`${this.name}: only dataFormat 'channelsLast' is supported, got ${describe(args.dataFormat)}`);
    }
    const p = args?.padding ?? 1;
    if (Array.isArray(p) && p.length === 2 && p.every(Array.isArray)) {
      this.pads = [pairOf(p[0], 'padding[0] (rows)', this.name), pairOf(p[1], 'padding[1] (columns)', this.name)];
    } else if (isSize(p)) {
      this.pads = [[p, p], [p, p]];
    } else if (Array.isArray(p) && p.length === 2 && p.every(isSize)) {
      this.pads = [[p[0], p[0]], [p[1], p[1]]]; // (symmetric rows, symmetric columns), as tfjs
    } else {
      throw new Error(`${this.name}: padding must be a non-negative integer, a pair [rows, columns] or [[top, bottom], [left, right]], got ${describe(p)}`);
    }
  }
  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), padding: this.pads, dataFormat: 'channelsLast' }; }
}
