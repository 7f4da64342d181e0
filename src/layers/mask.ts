// Keras' masks of padded time steps: a [batch, timeSteps] tensor (0 = masked) attached to the
// tensor a layer outputs (Keras' `_keras_mask`), made by embedding({maskZero}) and masking(), read
// by the next recurrent layer, and passed on by recurrent layers that return sequences and by
// step-wise layers (supportsMasking: dense, dropout, activation, timeDistributed).
import { Tensor } from '../tensor';

const masks = new WeakMap<Tensor, Tensor>();

/** Attaches `mask` to `t` (null detaches). */
export function setMask(t: Tensor, mask: Tensor | null): void {
  if (mask) masks.set(t, mask);
  else masks.delete(t);
}

/**
 * After a layer ran: a layer that works step by step (`supportsMasking`: dense, activation, dropout,
 * as in Keras) gives its output its input's mask, so the mask reaches the next recurrent layer.
 */
export function carryMask(layer: { readonly supportsMasking: boolean }, inputs: Tensor | Tensor[], out: Tensor | Tensor[]): void {
  if (!layer.supportsMasking || Array.isArray(inputs) || Array.isArray(out) || masks.has(out)) return;
  const m = masks.get(inputs);
  if (m) masks.set(out, m);
}

/** The mask attached to `t`, or null. `where` names the reader for errors. */
export function maskOf(t: Tensor, where: string): Tensor | null {
  const m = masks.get(t) ?? null;
  if (m?.isDisposed) {
    throw new Error(`${where}: the mask of its input was disposed (keep the layer that made it and this one in the same tidy)`);
  }
  return m;
}
