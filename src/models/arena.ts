// One contiguous arena for a model's trainable parameters and a twin for their gradients, so a
// single optimizer kernel call updates the whole model (llm.c's one allocation).
import { Tensor } from '../tensor';
import { gradSlots } from '../autograd';
import type { LayerVariable } from '../layers/layer';
import { k } from '../wasm';
import type { ParamSegment } from '../optimizers/optimizer';

/** Each parameter starts on a 16-byte boundary so SIMD kernels see aligned rows. */
const ALIGN_FLOATS = 4;

export class ParamArena {
  readonly params: Tensor;
  readonly grads: Tensor;
  readonly segments: ParamSegment[] = [];
  readonly size: number;
  /** Set when another model's arena took one of these variables (a layer shared by two models). */
  stale = false;

  constructor(readonly variables: LayerVariable[]) {
    let n = 0;
    const offsets = variables.map((v) => { const o = n; n += Math.ceil(v.value.size / ALIGN_FLOATS) * ALIGN_FLOATS; return o; });
    this.size = n;
    this.params = Tensor.zeros([n]).keep();
    this.grads = Tensor.zeros([n]).keep();
    variables.forEach((v, i) => {
      if (v.arena) v.arena.stale = true;
      v.arena = this;
      const old = v.value;
      const view = new Tensor(this.params.ptr + offsets[i] * 4, old.shape, false);
      view.keep();
      k().copy_f32(view.ptr, old.ptr, old.size);
      view.requiresGrad = true;
      const gview = new Tensor(this.grads.ptr + offsets[i] * 4, old.shape, false).keep();
      gradSlots.set(view, gview);
      v.value = view;
      old.dispose();
      this.segments.push({ name: v.name, offset: offsets[i], size: old.size });
    });
  }

  zeroGrads(): void { k().fill_f32(this.grads.ptr, this.size, 0); }

  /** Gives every variable still living here its own memory back, then frees the arenas. */
  dispose(): void {
    for (const v of this.variables) {
      if (v.arena !== this) continue;
      v.arena = null;
      const own = Tensor.empty(v.value.shape).keep();
      k().copy_f32(own.ptr, v.value.ptr, own.size);
      own.requiresGrad = v.trainable;
      v.value = own;
    }
    this.params.dispose();
    this.grads.dispose();
  }
}
