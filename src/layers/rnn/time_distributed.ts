// TimeDistributed: applies one layer to every time step of [batch, steps, ...] with the same
// weights, as one call on [batch·steps, ...] (a reshape on each side, no loop). The wrapped layer's
// weights are named after the wrapper, as tfjs names them (`<timeDistributed>/kernel`).
import { Tensor } from '../../tensor';
import { Layer, LayerArgs, SymbolicShape, isShapeList, symShapeStr } from '../layer';
import { single } from '../core';
import { reshape } from '../../ops/shape';
import { checkOptions, LAYER_KEYS, describe } from '../../options';
import { layerClasses } from '../../io/registry';

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer to apply at every step (or its tfjs `{className, config}`); not yet built. */
  layer: Layer | { className: string; config: Record<string, unknown> };
}

export class TimeDistributed extends Layer {
  readonly className = 'TimeDistributed';
  // Each step runs on its own, so a mask of padded steps passes on to the next layer (Keras, tfjs).
  override readonly supportsMasking = true;
  readonly layer: Layer;
  private readonly innerName: string;

  constructor(args: TimeDistributedArgs) {
    super(args);
    checkOptions(this.name, args, [...LAYER_KEYS, 'layer']);
    const spec = args.layer as any;
    if (spec instanceof Layer) this.layer = spec;
    else {
      const make = layerClasses[spec?.className ?? spec?.class_name];
      if (!make) throw new Error(`${this.name}: layer must be a layer or a {className, config} of a known class, got ${describe(spec)}`);
      this.layer = make(spec.config ?? {});
    }
    if (this.layer.built) throw new Error(`${this.name}: the wrapped layer ${this.layer.name} is already built; pass a fresh one`);
    this.innerName = this.layer.name;
    this.layer.name = this.name; // its weights: `<this>/kernel`, as tfjs
  }

  private stepShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    if (isShapeList(inputShape) || inputShape.length < 3) {
      throw new Error(`${this.name}: expects one input [batch, timeSteps, ...], got shape ${isShapeList(inputShape) ? `${inputShape.length} inputs` : symShapeStr(inputShape)}`);
    }
    return [null, ...inputShape.slice(2)];
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    this.layer.ensureBuilt(this.stepShape(inputShape));
    this.variables.push(...this.layer.weights);
  }

  call(inputs: Tensor | Tensor[], ctx: { training: boolean }): Tensor {
    const x = single(this, inputs);
    this.stepShape(x.shape);
    const [B, T, ...rest] = x.shape;
    const y = this.layer.call(reshape(x, [B * T, ...rest]), ctx);
    if (Array.isArray(y)) throw new Error(`${this.name}: the wrapped layer must have one output`);
    return reshape(y, [B, T, ...y.shape.slice(1)]);
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    const out = this.layer.computeOutputShape(this.stepShape(inputShape));
    if (isShapeList(out)) throw new Error(`${this.name}: the wrapped layer must have one output`);
    const s = inputShape as SymbolicShape;
    return [s[0], s[1], ...out.slice(1)];
  }

  override getConfig(): Record<string, unknown> {
    const { batchInputShape: _ignored, ...inner } = this.layer.getConfig();
    return { ...super.getConfig(), layer: { className: this.layer.className, config: { ...inner, name: this.innerName } } };
  }
}
