// Small i32 argument blocks (shapes, strides) passed to kernels by pointer. They live for one
// call: take() hands out a block, release() returns it. Kept outside tensors so they never leak.
import { heapI32, malloc, onInstantiate } from '../wasm';

let pool: number[] = [];
onInstantiate(() => { pool = []; });
const BLOCK_INTS = 64;

export function withInts<T>(arrays: ArrayLike<number>[], fn: (...ptrs: number[]) => T): T {
  const ptrs: number[] = [];
  try {
    for (const a of arrays) {
      if (a.length > BLOCK_INTS) throw new Error(`internal: argument block of ${a.length} ints is too long`);
      const p = pool.pop() ?? malloc(BLOCK_INTS * 4);
      heapI32().set(a, p >>> 2);
      ptrs.push(p);
    }
    return fn(...ptrs);
  } finally {
    for (const p of ptrs) pool.push(p);
  }
}
