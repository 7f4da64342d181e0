// Bidirectional: runs a copy of a recurrent layer forward and another over the reversed sequence,
// each with its own weights, and merges their outputs (concat, sum, mul, ave, or both as two
// outputs with mergeMode null). Weights: the forward layer's, then the backward layer's, named
// `<bidirectional>/forward_<layer>/…` and `…/backward_<layer>/…` as tfjs names them.
import { Tensor } from '../../tensor';
import { Layer, LayerArgs, SymbolicShape, CallContext, isShapeList } from '../layer';
import { concat } from '../../ops/shape';
import { add, mul } from '../../ops/elementwise';
import { fill } from '../../tensor';
import { checkOptions, LAYER_KEYS, describe } from '../../options';
import { RNN } from './base';
import { SimpleRNN } from './simple_rnn';
import { LSTM } from './lstm';
import { GRU } from './gru';

export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave' | null;
const MERGE_MODES = ['concat', 'sum', 'mul', 'ave', null];

const RNN_CLASSES: Record<string, new (config: any) => RNN> = { SimpleRNN, LSTM, GRU };

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer to run both ways (or its tfjs `{className, config}`); it is copied, not used. */
  layer: RNN | { className: string; config: Record<string, unknown> };
  mergeMode?: MergeMode;
}

export class Bidirectional extends Layer {
  readonly className = 'Bidirectional';
  readonly mergeMode: MergeMode;
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  private readonly layerClass: string;
  private readonly layerConfig: Record<string, unknown>;

  constructor(args: BidirectionalArgs) {
    super(args);
    checkOptions(this.name, args, [...LAYER_KEYS, 'layer', 'mergeMode']);
    const inner = args.layer as any;
    const cls = inner instanceof RNN ? inner.className : inner?.className ?? inner?.class_name;
    const Ctor = RNN_CLASSES[cls];
    if (!Ctor) throw new Error(`${this.name}: layer must be a simpleRNN, lstm or gru layer, got ${describe(cls ?? inner)}`);
    this.mergeMode = args.mergeMode === undefined ? 'concat' : args.mergeMode;
    if (!MERGE_MODES.includes(this.mergeMode)) {
      throw new Error(`${this.name}: mergeMode must be one of concat, sum, mul, ave or null, got ${describe(args.mergeMode)}`);
    }
    this.layerClass = cls;
    this.layerConfig = inner instanceof RNN ? inner.getConfig() : { ...inner.config };
    if (this.layerConfig.returnState) throw new Error(`${this.name}: a wrapped layer with returnState is not supported`);
    if (this.layerConfig.stateful) throw new Error(`${this.name}: a stateful wrapped layer is not supported`);
    const base = String(this.layerConfig.name ?? cls.toLowerCase());
    const copy = (dir: 'forward' | 'backward') => {
      const { batchInputShape: _ignored, ...config } = this.layerConfig;
      const goBackwards = !!config.goBackwards !== (dir === 'backward');
      return new Ctor({ ...config, name: `${this.name}/${dir}_${base}`, goBackwards });
    };
    this.forwardLayer = copy('forward');
    this.backwardLayer = copy('backward');
    // The backward copy's sequence comes back in input order, aligned with the forward one (Keras).
    this.backwardLayer.alignSequence = true;
  }

  override build(inputShape: SymbolicShape | SymbolicShape[]): void {
    this.forwardLayer.ensureBuilt(inputShape);
    this.backwardLayer.ensureBuilt(inputShape);
    this.variables.push(...this.forwardLayer.weights, ...this.backwardLayer.weights);
  }

  call(inputs: Tensor | Tensor[], ctx?: CallContext): Tensor | Tensor[] {
    const yf = this.forwardLayer.call(inputs, ctx) as Tensor;
    const yb = this.backwardLayer.call(inputs, ctx) as Tensor;
    const y = this.merge(yf, yb);
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    for (const t of Array.isArray(y) ? y : [y]) this.forwardLayer.passMask(x, t);
    return y;
  }

  private merge(yf: Tensor, yb: Tensor): Tensor | Tensor[] {
    switch (this.mergeMode) {
      case 'concat': return concat([yf, yb], yf.rank - 1);
      case 'sum': return add(yf, yb);
      case 'mul': return mul(yf, yb);
      case 'ave': return mul(add(yf, yb), fill([], 0.5));
      default: return [yf, yb];
    }
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape | SymbolicShape[] {
    const s = this.forwardLayer.computeOutputShape(inputShape);
    if (isShapeList(s)) throw new Error(`${this.name}: a wrapped layer with several outputs is not supported`);
    if (this.mergeMode === null) return [s, s.slice()];
    if (this.mergeMode !== 'concat') return s;
    const last = s[s.length - 1];
    return [...s.slice(0, -1), last === null ? null : 2 * last];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mergeMode: this.mergeMode, layer: { className: this.layerClass, config: this.layerConfig } };
  }
}
