// Keras' masks of padded time steps: a [batch, timeSteps] tensor (0 = masked) attached to the
// tensor a layer outputs (Keras' `_keras_mask`), made by embedding({maskZero}) and masking(), read
// by the next recurrent layer, and passed on by recurrent layers that return sequences.
import { Tensor } from '../tensor';

const masks = new WeakMap<Tensor, Tensor>();

/** Attaches `mask` to `t` (null detaches). */
export function setMask(t: Tensor, mask: Tensor | null): void {
  if (mask) masks.set(t, mask);
  else masks.delete(t);
}

/** The mask attached to `t`, or null. `where` names the reader for errors. */
export function maskOf(t: Tensor, where: string): Tensor | null {
  const m = masks.get(t) ?? null;
  if (m?.isDisposed) {
    throw new Error(`${where}: the mask of its input was disposed (keep the layer that made it and this one in the same tidy)`);
  }
  return m;
}
