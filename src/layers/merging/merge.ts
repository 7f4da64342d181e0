// Merge layers: add, subtract, multiply, average, maximum, minimum combine a list of tensors
// elementwise. As in tfjs-layers, shapes broadcast (sizes equal, or 1) after the batch axis, and an
// input of lower rank is first expanded at axis 1 until the ranks agree.
import { Tensor, fill } from '../../tensor';
import { Layer, LayerArgs, SymbolicShape, SymbolicTensor, isShapeList, symShapeStr } from '../layer';
import { checkOptions, LAYER_KEYS } from '../../options';
import { add, sub, mul, maximum, minimum } from '../../ops/elementwise';
import { reshape } from '../../ops/shape';
import { maskOf, setMask } from '../mask';

/** The list of input shapes of a merge layer, or a clear error naming the layer. */
export function inputShapeList(layer: Layer, shapes: SymbolicShape | SymbolicShape[], min = 2): SymbolicShape[] {
  if (!isShapeList(shapes)) {
    throw new Error(`${layer.name} (${layer.className}): takes a list of at least ${min} inputs, got one input ${symShapeStr(shapes)}`);
  }
  if (shapes.length < min) {
    throw new Error(`${layer.name} (${layer.className}): takes a list of at least ${min} inputs, got ${shapes.length}`);
  }
  return shapes;
}

const listStr = (shapes: SymbolicShape[]) => shapes.map(symShapeStr).join(', ');

/** The batch size the inputs agree on (null when unknown), else an error naming the layer. */
export function commonBatch(layer: Layer, shapes: SymbolicShape[]): number | null {
  const known = [...new Set(shapes.map((s) => s[0]).filter((d) => d !== null))];
  if (known.length > 1) throw new Error(`${layer.name}: cannot merge tensors with different batch sizes (got ${listStr(shapes)})`);
  return known[0] ?? null;
}

/** A layer over a list of inputs: counts them, checks them, and merges them. */
export abstract class Merge extends Layer {
  /** The fewest (and, for subtract, exactly how many) inputs the layer takes. */
  protected readonly minInputs: number = 2;
  protected readonly maxInputs: number = Infinity;

  constructor(args: LayerArgs = {}, prefix: string, extraKeys: readonly string[] = []) {
    super(args ?? {}, prefix);
    checkOptions(this.name, args, [...LAYER_KEYS, ...extraKeys]);
  }

  /** Refuses a single tensor or a short list before anything is built. */
  override apply(inputs: SymbolicTensor | SymbolicTensor[]): SymbolicTensor;
  override apply(inputs: Tensor | Tensor[], opts?: { training?: boolean }): Tensor | Tensor[];
  override apply(inputs: any, opts?: { training?: boolean }): any {
    const n = Array.isArray(inputs) ? inputs.length : 1;
    if (!Array.isArray(inputs) || n < this.minInputs) {
      throw new Error(`${this.name} (${this.className}): takes a list of at least ${this.minInputs} inputs, got ${Array.isArray(inputs) ? n : 'a single input'}`);
    }
    return super.apply(inputs, opts);
  }

  /** The output shape of checked inputs (a list of the right length, one batch size). */
  protected abstract mergeShapes(shapes: SymbolicShape[]): SymbolicShape;
  /** Merges inputs whose shapes mergeShapes accepted. */
  protected abstract mergeTensors(xs: Tensor[]): Tensor;

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const shapes = inputShapeList(this, inputShape, this.minInputs);
    if (shapes.length > this.maxInputs) {
      throw new Error(`${this.name} (${this.className}): takes exactly ${this.maxInputs} inputs, got ${shapes.length}`);
    }
    const batch = commonBatch(this, shapes);
    const out = this.mergeShapes(shapes);
    out[0] = batch;
    return out;
  }

  /** Checks the concrete shapes as the symbolic ones were checked, so errors name the layer. */
  call(inputs: Tensor | Tensor[]): Tensor {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    this.computeOutputShape(Array.isArray(inputs) ? xs.map((x) => x.shape) : xs[0].shape);
    const y = this.mergeTensors(xs);
    const mask = this.outputMask(xs, y);
    if (mask) setMask(y, mask);
    return y;
  }

  /**
   * Keras' merge mask: the inputs' masks of padded steps combined with AND (an input without one
   * keeps every step), when each fits the output's [batch, timeSteps] axes; else none.
   */
  protected outputMask(xs: Tensor[], y: Tensor): Tensor | null {
    const masks = xs.map((x) => maskOf(x, this.name)).filter((m): m is Tensor => m !== null);
    if (masks.length === 0 || y.rank < 3 || masks.some((m) => m.shape[0] !== y.shape[0] || m.shape[1] !== y.shape[1])) return null;
    return masks.slice(1).reduce((a, m) => mul(a, m), masks[0]);
  }
}

/** Elementwise merges: shapes broadcast after the batch axis, as tfjs' merge layers allow. */
abstract class ElementwiseMerge extends Merge {
  /** Combines two tensors of the same rank that broadcast together. */
  protected abstract combine(a: Tensor, b: Tensor): Tensor;

  protected mergeShapes(shapes: SymbolicShape[]): SymbolicShape {
    let out: SymbolicShape = [];
    for (const s of shapes) {
      const a = out, b = s.slice(1);
      const rank = Math.max(a.length, b.length);
      const merged: SymbolicShape = [];
      for (let i = 0; i < rank; i++) {
        const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
        const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
        if (da !== null && db !== null && da !== db && da !== 1 && db !== 1) {
          throw new Error(`${this.name} (${this.className}): needs inputs of the same shape (or shapes that broadcast), got ${listStr(shapes)}`);
        }
        merged.push(da === 1 ? db : db === 1 ? da : da === null ? db : da);
      }
      out = merged;
    }
    return [null, ...out];
  }

  protected mergeTensors(xs: Tensor[]): Tensor {
    // Lower-rank inputs gain axes at position 1 (tfjs), so [N, C] meets [N, H, W, C] as [N, 1, 1, C].
    const rank = Math.max(...xs.map((x) => x.rank));
    const same = xs.map((x) => (x.rank === rank ? x : reshape(x, [x.shape[0], ...new Array(rank - x.rank).fill(1), ...x.shape.slice(1)])));
    let y = same[0];
    for (let i = 1; i < same.length; i++) y = this.combine(y, same[i]);
    return y;
  }
}

export class Add extends ElementwiseMerge {
  readonly className = 'Add';
  constructor(args?: LayerArgs) { super(args, 'add'); }
  protected combine(a: Tensor, b: Tensor): Tensor { return add(a, b); }
}

export class Subtract extends ElementwiseMerge {
  readonly className = 'Subtract';
  protected override readonly maxInputs = 2;
  constructor(args?: LayerArgs) { super(args, 'subtract'); }
  protected combine(a: Tensor, b: Tensor): Tensor { return sub(a, b); }
}

export class Multiply extends ElementwiseMerge {
  readonly className = 'Multiply';
  constructor(args?: LayerArgs) { super(args, 'multiply'); }
  protected combine(a: Tensor, b: Tensor): Tensor { return mul(a, b); }
}

export class Average extends ElementwiseMerge {
  readonly className = 'Average';
  constructor(args?: LayerArgs) { super(args, 'average'); }
  protected combine(a: Tensor, b: Tensor): Tensor { return add(a, b); }
  protected override mergeTensors(xs: Tensor[]): Tensor { return mul(super.mergeTensors(xs), fill([], 1 / xs.length)); }
}

export class Maximum extends ElementwiseMerge {
  readonly className = 'Maximum';
  constructor(args?: LayerArgs) { super(args, 'maximum'); }
  protected combine(a: Tensor, b: Tensor): Tensor { return maximum(a, b); }
}

export class Minimum extends ElementwiseMerge {
  readonly className = 'Minimum';
  constructor(args?: LayerArgs) { super(args, 'minimum'); }
  protected combine(a: Tensor, b: Tensor): Tensor { return minimum(a, b); }
}
