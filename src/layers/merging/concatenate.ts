// Concatenate: joins a list of tensors along one axis (default -1, the last); the other axes must match.
import { Tensor } from '../../tensor';
import { LayerArgs, SymbolicShape, symShapeStr } from '../layer';
import { Merge } from './merge';
import { concat } from '../../ops/shape';

export class Concatenate extends Merge {
  readonly className = 'Concatenate';
  readonly axis: number;

  constructor(args: LayerArgs & { axis?: number } = {}) {
    super(args, 'concatenate', ['axis']);
    const axis = args?.axis ?? -1;
    if (!Number.isInteger(axis)) throw new Error(`${this.name}: axis must be an integer, got ${JSON.stringify(args?.axis)}`);
    this.axis = axis;
  }

  /** The concatenation axis for inputs of this rank. */
  private axisFor(rank: number, shapes: SymbolicShape[]): number {
    const ax = this.axis < 0 ? this.axis + rank : this.axis;
    if (ax === 0) throw new Error(`${this.name}: cannot concatenate along the batch axis (axis ${this.axis})`);
    if (ax < 0 || ax >= rank) throw new Error(`${this.name}: axis ${this.axis} is out of range for inputs ${shapes.map(symShapeStr).join(', ')}`);
    return ax;
  }

  protected mergeShapes(shapes: SymbolicShape[]): SymbolicShape {
    const rank = shapes[0].length;
    const ax = this.axisFor(rank, shapes);
    const matches = shapes.every((s) => s.length === rank && s.every((d, i) => i === ax || d === null || shapes[0][i] === null || d === shapes[0][i]));
    if (!matches) {
      throw new Error(`${this.name} (Concatenate): needs inputs of the same shape except along the concatenation axis ${this.axis}, ` +
        `got ${shapes.map(symShapeStr).join(', ')}`);
    }
    const out = shapes[0].map((_, i) => shapes.map((s) => s[i]).find((d) => d !== null) ?? null);
    out[ax] = shapes.some((s) => s[ax] === null) ? null : shapes.reduce((n, s) => n + (s[ax] as number), 0);
    return out;
  }

  protected mergeTensors(xs: Tensor[]): Tensor { return concat(xs, this.axisFor(xs[0].rank, [])); }

  /** Along the features (the last axis) the masks combine as for the other merges; along time, none. */
  protected override outputMask(xs: Tensor[], y: Tensor): Tensor | null {
    return this.axisFor(y.rank, []) === y.rank - 1 ? super.outputMask(xs, y) : null;
  }

  override getConfig(): Record<string, unknown> { return { ...super.getConfig(), axis: this.axis }; }
}
