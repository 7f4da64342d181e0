// A linear stack of layers: a graph model built from the first layer's input shape, or lazily
// from the first data it sees.
import { Tensor } from '../tensor';
import { Layer, SymbolicTensor, input } from '../layers/layer';
import { Model } from './model';

let sequentialCount = 0;

export class Sequential extends Model {
  override readonly className = 'Sequential';
  private stack: Layer[] = [];
  private built = false;

  constructor(args: { layers?: Layer[]; name?: string } = {}) {
    super();
    this.name = args.name ?? `sequential_${++sequentialCount}`;
    for (const l of args.layers ?? []) this.add(l);
  }

  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new Error(`${this.name}.add: expected a layer, got ${typeof layer}`);
    if (this.built) {
      this.stack.push(layer);
      this.build();
    } else {
      this.stack.push(layer);
      if (this.stack[0].batchInputShape) this.build();
    }
  }

  /** Builds the graph for samples of `inputShape` (without batch), or from the first layer's inputShape. */
  build(inputShape?: (number | null)[]): void {
    const first = this.stack[0];
    if (!first) throw new Error(`${this.name}: add a layer before building`);
    const batchShape = inputShape ? [null, ...inputShape] : first.batchInputShape;
    if (!batchShape) {
      throw new Error(`${this.name}: the first layer (${first.name}) needs an inputShape, or the model must see data first`);
    }
    const inp = input({ batchShape });
    let x = inp;
    for (const l of this.stack) x = l.apply(x) as SymbolicTensor;
    this.setGraph(inp, x);
    this.built = true;
  }

  /** Builds from the first layer's inputShape, else from the first data seen; until then stays unbuilt. */
  protected override ensureGraph(sample?: Tensor): void {
    if (this.built) return;
    if (!this.stack.length) throw new Error(`${this.name}: the model has no layers; add one first`);
    if (this.stack[0].batchInputShape) this.build();
    else if (sample) this.build(sample.shape.slice(1));
  }

  protected override isBuilt(): boolean { return this.built; }

  /** One input and one output, named before the model is built too. */
  override inputNames(): string[] { return this.built ? super.inputNames() : ['input']; }
  override outputNames(): string[] { return this.built ? super.outputNames() : this.stack.slice(-1).map((l) => l.name); }
}
