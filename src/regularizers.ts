// Weight penalties added to the loss: l1·Σ|w| + l2·Σw² (tfjs/Keras semantics: no ½ on the L2 term).
import { record } from './autograd';
import { Tensor } from './tensor';
import { k } from './wasm';

function checkFactor(v: unknown, what: string, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new Error(`${where}: ${what} must be a finite number >= 0 (got ${v})`);
  }
  return v;
}

export class Regularizer {
  readonly className = 'L1L2';
  readonly l1: number;
  readonly l2: number;

  constructor({ l1 = 0, l2 = 0 }: { l1?: number; l2?: number } = {}, where = 'l1l2') {
    this.l1 = checkFactor(l1, 'l1', where);
    this.l2 = checkFactor(l2, 'l2', where);
  }

  /** The penalty of w as a scalar tensor, differentiable (one fused op with its own backward kernel). */
  apply(w: Tensor): Tensor {
    const y = Tensor.empty([]);
    const { l1, l2 } = this;
    k().l1l2_forward(y.ptr, w.ptr, w.size, l1, l2);
    return record([w], y, (dy, [dw]) => {
      if (dw) k().l1l2_backward(dw.ptr, w.ptr, dy.ptr, w.size, l1, l2);
    });
  }

  getConfig(): { l1: number; l2: number } { return { l1: this.l1, l2: this.l2 }; }

  serialize(): { className: string; config: { l1: number; l2: number } } {
    return { className: this.className, config: this.getConfig() };
  }
}

const DEFAULT_FACTOR = 0.01; // tfjs and Keras' l1(), l2(), l1_l2()

type Factor = number | { l1?: number; l2?: number } | undefined;

function factorOf(arg: Factor, name: 'l1' | 'l2'): number | undefined {
  return typeof arg === 'object' && arg !== null ? arg[name] : arg;
}

/** l1(λ) or l1({l1: λ}): penalty λ·Σ|w| (default λ = 0.01). */
export function l1(arg?: Factor): Regularizer {
  return new Regularizer({ l1: factorOf(arg, 'l1') ?? DEFAULT_FACTOR, l2: 0 }, 'l1');
}

/** l2(λ) or l2({l2: λ}): penalty λ·Σw² (default λ = 0.01). */
export function l2(arg?: Factor): Regularizer {
  return new Regularizer({ l1: 0, l2: factorOf(arg, 'l2') ?? DEFAULT_FACTOR }, 'l2');
}

/** l1l2({l1, l2}): both penalties (each default 0.01, as tfjs' l1l2 and Keras' l1_l2). */
export function l1l2({ l1: a = DEFAULT_FACTOR, l2: b = DEFAULT_FACTOR }: { l1?: number; l2?: number } = {}): Regularizer {
  return new Regularizer({ l1: a, l2: b }, 'l1l2');
}

/** Regularizer names a layer option accepts (matched without case or underscores). */
export type RegularizerName = 'l1' | 'l2' | 'l1l2' | 'l1_l2' | 'L1' | 'L2' | 'L1L2';

export type RegularizerSpec = RegularizerName | Regularizer | { className: string; config?: object } | { class_name: string; config?: object };

/**
 * Resolves a layer's regularizer option: undefined/null → null (none); an instance; a name
 * ('l1', 'l2', 'l1l2', 'l1_l2'); or a tfjs `{className, config}` / Keras `{class_name, config}` of
 * class L1L2, L1 or L2.
 */
export function getRegularizer(spec: RegularizerSpec | null | undefined, where: string): Regularizer | null {
  if (spec === undefined || spec === null) return null;
  if (spec instanceof Regularizer) return spec;
  const known = 'known: l1, l2, l1l2 (L1, L2, L1L2)';
  if (typeof spec === 'string') {
    const make = ({ l1: l1, l2: l2, l1l2: () => l1l2() } as Record<string, () => Regularizer>)[spec.replace(/_/g, '').toLowerCase()];
    if (!make) throw new Error(`${where}: unknown regularizer '${spec}'; ${known}`);
    return make();
  }
  if (typeof spec === 'object') {
    const name = 'className' in spec ? spec.className : (spec as { class_name: string }).class_name;
    const config = (spec.config ?? {}) as { l1?: number; l2?: number };
    switch (typeof name === 'string' ? name.replace(/_/g, '').toLowerCase() : '') {
      case 'l1l2': return new Regularizer({ l1: config.l1 ?? DEFAULT_FACTOR, l2: config.l2 ?? DEFAULT_FACTOR }, where); // tfjs' defaults
      case 'l1': return new Regularizer({ l1: config.l1 ?? DEFAULT_FACTOR }, where);
      case 'l2': return new Regularizer({ l2: config.l2 ?? DEFAULT_FACTOR }, where);
    }
    throw new Error(`${where}: unknown regularizer '${String(name)}'; ${known}`);
  }
  throw new Error(`${where}: a regularizer must be a name, a Regularizer or {className, config} (got ${typeof spec})`);
}
