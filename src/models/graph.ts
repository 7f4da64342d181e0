// The graph half of a model: topology from symbolic inputs to outputs, running it on tensors,
// weights and summary. Training (compile/fit/evaluate/predict) is Model, in model.ts.
import { Tensor, shapeStr } from '../tensor';
import { Layer, SymbolicTensor, SymbolicShape, LayerVariable, symShapeStr } from '../layers/layer';
import { carryMask } from '../layers/mask';
import { recording } from '../autograd';

let modelCount = 0;

export class Network {
  readonly className: string = 'Model';
  name: string;
  inputs: SymbolicTensor[] = [];
  outputs: SymbolicTensor[] = [];
  /** Layers in execution order, input layers excluded. */
  layers: Layer[] = [];
  private plan: SymbolicTensor[] = [];
  /** Pairs of nodes whose layers may run fused at inference (fuseForInference), by the first's id. */
  private fusable = new Map<number, { first: SymbolicTensor; second: SymbolicTensor }>();

  constructor(args?: { inputs: SymbolicTensor | SymbolicTensor[]; outputs: SymbolicTensor | SymbolicTensor[]; name?: string }) {
    this.name = args?.name ?? `model_${++modelCount}`;
    if (args) this.setGraph(args.inputs, args.outputs);
  }

  protected setGraph(inputs: SymbolicTensor | SymbolicTensor[], outputs: SymbolicTensor | SymbolicTensor[]): void {
    this.inputs = Array.isArray(inputs) ? inputs : [inputs];
    this.outputs = Array.isArray(outputs) ? outputs : [outputs];
    for (const [what, list] of [['inputs', this.inputs], ['outputs', this.outputs]] as const) {
      const bad: unknown = list.find((s: unknown) => !(s instanceof SymbolicTensor));
      if (list.length === 0 || bad !== undefined) {
        throw new Error(`${this.name}: ${what} must be symbolic tensors (from nn.input() and layer.apply()), ` +
          `got ${list.length === 0 ? 'none' : bad instanceof Tensor ? `a concrete Tensor ${shapeStr(bad.shape)}` : typeof bad}`);
      }
    }
    const seen = new Set<number>();
    const plan: SymbolicTensor[] = [];
    const visit = (s: SymbolicTensor) => {
      if (seen.has(s.id)) return;
      seen.add(s.id);
      for (const p of s.inputs) visit(p);
      plan.push(s);
    };
    for (const o of this.outputs) visit(o);
    const inputIds = new Set(this.inputs.map((s) => s.id));
    for (const s of plan) {
      if (s.inputs.length === 0 && !inputIds.has(s.id)) {
        throw new Error(`${this.name}: output depends on input '${s.name}' that is not among the model's inputs`);
      }
    }
    this.plan = plan.filter((s) => !inputIds.has(s.id));
    // A node that alone reads a single-input, single-output node (not a model output) may run
    // fused with it; the layers decide at run time (fuseForInference).
    const readers = new Map<number, number>();
    for (const s of this.plan) for (const p of s.inputs) readers.set(p.id, (readers.get(p.id) ?? 0) + 1);
    const outputIds = new Set(this.outputs.map((o) => o.id));
    this.fusable = new Map();
    for (const s of this.plan) {
      const [p] = s.inputs;
      if (s.inputs.length === 1 && p.sourceLayer && p.inputs.length === 1 && readers.get(p.id) === 1 && !outputIds.has(p.id) &&
          !inputIds.has(p.id) && p.outputIndex === 0 && s.outputIndex === 0) this.fusable.set(p.id, { first: p, second: s });
    }
    const layers: Layer[] = [];
    for (const s of this.plan) if (s.sourceLayer && !layers.includes(s.sourceLayer)) layers.push(s.sourceLayer);
    this.layers = layers;
  }

  /** Set by dispose(): the weights are gone, so any later use is refused. */
  protected disposed = false;

  /** Refuses a call on a disposed model with a clear message (its tensors are freed). */
  protected checkAlive(where: string): void {
    if (this.disposed) throw new Error(`${this.name}.${where}: model ${this.name} was disposed`);
  }

  /** Output shape(s) with null for the batch (tfjs): one shape, or one per output when there are several. */
  get outputShape(): (number | null)[] | (number | null)[][] {
    this.requireBuilt('outputShape');
    const shapes = this.outputs.map((o) => o.shape.slice());
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  /** The input layers' names, in order (the keys of a dict of inputs). */
  inputNames(): string[] { return this.inputs.map((s) => s.sourceLayer?.name ?? s.name); }
  /** The output layers' names, in order (the keys of per-output losses, metrics and targets). */
  outputNames(): string[] { return this.outputs.map((s) => s.sourceLayer?.name ?? s.name); }

  /** Runs the graph on concrete tensors. @internal */
  execute(xs: Tensor[], training: boolean): Tensor[] {
    this.checkAlive('execute');
    if (xs.length !== this.inputs.length) throw new Error(`${this.name}: expects ${this.inputs.length} inputs, got ${xs.length}`);
    const values = new Map<number, Tensor>();
    this.inputs.forEach((s, i) => {
      const x = xs[i];
      const ok = x.rank === s.shape.length && s.shape.every((d, j) => d === null || d === x.shape[j]);
      if (!ok) {
        const first = this.layers[0]?.name ?? s.name;
        throw new Error(`${this.name} (input of ${first}): expected input shape ${symShapeStr(s.shape)}, got ${shapeStr(x.shape)}`);
      }
      values.set(s.id, x);
    });
    // At inference, pairs of layers that fuse run as one call at the first node, whose own output
    // is then never made (fusions: first node id → the call and the second node's id).
    const fusions = new Map<number, { run: () => Tensor | null; into: number }>();
    if (!training && !recording()) {
      for (const { first, second } of this.fusable.values()) {
        const fn = first.sourceLayer!.fuseForInference(second.sourceLayer!);
        if (fn) fusions.set(first.id, { run: () => fn(values.get(first.inputs[0].id)!), into: second.id });
      }
    }
    // A layer with several outputs runs once for all of them (its symbolic outputs share `inputs`).
    const nodeOutputs = new Map<SymbolicTensor[], Tensor | Tensor[]>();
    const fused = new Map<number, Tensor>(); // second node id → the fused result
    for (const s of this.plan) {
      const fusion = fusions.get(s.id);
      const y = fusion ? fusion.run() : null;
      if (fusion && y) { fused.set(fusion.into, y); continue; }
      let out = fused.get(s.id) ?? nodeOutputs.get(s.inputs);
      if (!out) {
        const args = s.inputs.map((p) => values.get(p.id)!);
        const x = args.length === 1 ? args[0] : args;
        out = s.sourceLayer!.call(x, { training });
        carryMask(s.sourceLayer!, x, out);
        nodeOutputs.set(s.inputs, out);
      }
      values.set(s.id, Array.isArray(out) ? out[s.outputIndex] : out);
    }
    return this.outputs.map((o) => values.get(o.id)!);
  }

  /** Runs the model on tensors as part of your own computation: differentiable, e.g. under nn.grads. */
  apply(inputs: Tensor | Tensor[], opts: { training?: boolean } = {}): Tensor | Tensor[] {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    this.ensureGraph(xs[0]);
    const out = this.execute(xs, !!opts.training);
    return out.length === 1 ? out[0] : out;
  }

  /** Every weight of every layer, in layer order then declaration order. */
  get weights(): LayerVariable[] { return this.layers.flatMap((l) => l.weights); }
  get trainableWeights(): LayerVariable[] { return this.weights.filter((v) => v.trainable); }

  countParams(): number {
    this.requireBuilt('countParams');
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  getWeights(): Tensor[] { this.checkAlive('getWeights'); return this.layers.flatMap((l) => l.getWeights()); }

  setWeights(values: Tensor[]): void {
    this.checkAlive('setWeights');
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new Error(`${this.name}.setWeights: expected ${ws.length} tensors, got ${values.length}`);
    }
    ws.forEach((w, i) => w.assign(values[i], `${this.name}.setWeights`));
  }

  getLayer(nameOrIndex: string | number): Layer {
    const l = typeof nameOrIndex === 'number' ? this.layers[nameOrIndex] : this.layers.find((x) => x.name === nameOrIndex);
    if (!l) throw new Error(`${this.name}.getLayer: no layer ${JSON.stringify(nameOrIndex)}; layers: ${this.layers.map((x) => x.name).join(', ')}`);
    return l;
  }

  /** Sequential builds lazily; a graph model is always built. */
  protected ensureGraph(_sample?: Tensor): void {}
  protected isBuilt(): boolean { return true; }

  protected requireBuilt(where: string): void {
    this.ensureGraph();
    if (!this.isBuilt()) {
      throw new Error(`${this.name}.${where}: the model is not built yet; give the first layer an inputShape or fit/predict on data first`);
    }
  }

  /** Prints a Keras-style table of layers, output shapes and parameter counts. */
  summary(lineLength = 65, _positions?: number[], printFn: (line: string) => void = console.log): void {
    this.checkAlive('summary');
    this.requireBuilt('summary');
    const cols = [Math.floor(lineLength * 0.45), Math.floor(lineLength * 0.33)];
    // a cell wider than its column still leaves a space before the next one
    const cell = (s: string, width: number) => (s.length < width ? s.padEnd(width) : `${s} `);
    const line = (a: string, b: string, c: string) => printFn(cell(a, cols[0]) + cell(b, cols[1]) + c);
    printFn(`Model: "${this.name}"`);
    printFn('_'.repeat(lineLength));
    line('Layer (type)', 'Output shape', 'Param #');
    printFn('='.repeat(lineLength));
    // Functional models list their inputs too, as tfjs and Keras do.
    if (this.className !== 'Sequential') for (const s of this.inputs) line(`${s.name} (InputLayer)`, symShapeStr(s.shape), '0');
    for (const l of this.layers) {
      const shape = l.outputShape ? (Array.isArray(l.outputShape[0]) ? (l.outputShape as SymbolicShape[]).map(symShapeStr).join(' ') : symShapeStr(l.outputShape as SymbolicShape)) : '?';
      line(`${l.name} (${l.className})`, shape, String(l.countParams()));
    }
    printFn('='.repeat(lineLength));
    const total = this.countParams();
    const trainable = this.trainableWeights.reduce((n, v) => n + v.value.size, 0);
    printFn(`Total params: ${total}`);
    printFn(`Trainable params: ${trainable}`);
    printFn(`Non-trainable params: ${total - trainable}`);
    printFn('_'.repeat(lineLength));
  }
}
