// Embedding: integer token ids [batch, ...] → vectors [batch, ..., outputDim], rows of the weight
// 'embeddings' [inputDim, outputDim] (a gather; its gradient scatter-adds into the picked rows).
import { Tensor, shapeStr } from '../tensor';
import { Layer, LayerArgs, SymbolicShape, LayerVariable, expectSingle } from './layer';
import { single, serialize } from './core';
import { gather } from '../ops/shape';
import { notEqual } from '../ops/elementwise';
import { setMask } from './mask';
import { getInitializer, Initializer, InitializerSpec, randomUniform } from '../initializers';
import { getRegularizer, Regularizer, RegularizerSpec } from '../regularizers';
import { checkOptions, positiveInt, LAYER_KEYS, describe } from '../options';

export interface EmbeddingArgs extends LayerArgs {
  inputDim: number;
  outputDim: number;
  embeddingsInitializer?: InitializerSpec;
  embeddingsRegularizer?: RegularizerSpec;
  activityRegularizer?: RegularizerSpec;
  /** Id 0 is padding: the output carries a [batch, timeSteps] mask that the next recurrent layer reads. */
  maskZero?: boolean;
  /** tfjs' fixed sequence length: kept in the config for tfjs. */
  inputLength?: number | number[] | null;
  embeddingsConstraint?: null;
}

export class Embedding extends Layer {
  readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  readonly inputLength: number | number[] | null;
  private readonly embeddingsInitializer: Initializer;
  private readonly embeddingsRegularizer: Regularizer | null;
  private readonly activityRegularizer: Regularizer | null;
  embeddings: LayerVariable | null = null;

  constructor(args: EmbeddingArgs) {
    super(args);
    checkOptions(this.name, args, [...LAYER_KEYS, 'inputDim', 'outputDim', 'embeddingsInitializer', 'embeddingsRegularizer',
      'activityRegularizer', 'maskZero', 'inputLength', 'embeddingsConstraint']);
    this.inputDim = positiveInt(this.name, 'inputDim', args.inputDim);
    this.outputDim = positiveInt(this.name, 'outputDim', args.outputDim);
    this.maskZero = !!args.maskZero;
    if (args.embeddingsConstraint != null) throw new Error(`${this.name}: embeddingsConstraint ${describe(args.embeddingsConstraint)} is not supported`);
    this.inputLength = args.inputLength ?? null;
    // Keras' and tfjs' default: uniform in [-0.05, 0.05].
    this.embeddingsInitializer = args.embeddingsInitializer === undefined
      ? randomUniform({ minval: -0.05, maxval: 0.05 }) : getInitializer(args.embeddingsInitializer, 'randomUniform', this.name);
    this.embeddingsRegularizer = getRegularizer(args.embeddingsRegularizer, this.name);
    this.activityRegularizer = getRegularizer(args.activityRegularizer, this.name);
  }

  override build(): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], (t) => this.embeddingsInitializer.fill(t),
      true, this.embeddingsRegularizer);
  }

  call(inputs: Tensor | Tensor[]): Tensor {
    const ids = single(this, inputs);
    let y: Tensor;
    try {
      y = gather(this.embeddings!.value, ids, 0);
    } catch (e) {
      const m = /index (\S+) at position (\d+)/.exec((e as Error).message);
      if (!m) throw e;
      throw new Error(`${this.name}: token id ${m[1]} (at flat position ${m[2]} of input ${shapeStr(ids.shape)}) is not an integer in [0, ${this.inputDim})`);
    }
    if (this.activityRegularizer) this.addLoss(this.activityRegularizer.apply(y));
    if (this.maskZero) setMask(y, notEqual(ids, 0));
    return y;
  }

  computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return [...expectSingle(this, inputShape), this.outputDim];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), inputDim: this.inputDim, outputDim: this.outputDim,
      embeddingsInitializer: serialize(this.embeddingsInitializer), embeddingsRegularizer: serialize(this.embeddingsRegularizer),
      activityRegularizer: serialize(this.activityRegularizer), embeddingsConstraint: null, maskZero: this.maskZero,
      inputLength: this.inputLength,
    };
  }
}
