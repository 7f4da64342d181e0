// Instantiates the inlined wasm once, in any runtime, and gives typed access to its memory.
import simdWasm from '../build/simdnn.wasm?base64';
import relaxedWasm from '../build/simdnn-relaxed.wasm?base64';
import type { KernelExports } from './kernels.generated';

/** The part of WebAssembly.Memory used here, spelled out so that the published .d.ts type-checks
 *  without the DOM or WebAssembly typings (a Node project with only @types/node lacks them). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}

/**
 * The wasm exports: every kernel with its parameter list (byte addresses, sizes, flags), generated
 * from assembly/ at build time, so a misspelled kernel or a wrong argument count fails tsc. Each
 * method's doc names its source file in assembly/kernels/.
 */
export interface Kernels extends KernelExports {
  memory: WasmMemory;
}

let kernels: Kernels | null = null;
let workspace = 0;
let relaxedActive = false;
let f32View = new Float32Array(0);
let i32View = new Int32Array(0);

// A module that uses f32x4.relaxed_madd; it validates only where relaxed SIMD is available.
const RELAXED_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1,
  0, 10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11]);

export function relaxedSimdSupported(): boolean {
  try { return WebAssembly.validate(RELAXED_PROBE); } catch { return false; }
}

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const bytes = new Uint8Array(new ArrayBuffer(s.length));
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

export interface ReadyOptions {
  /** Use the fused-multiply-add build where the host supports it (faster, not bit-identical across hosts). */
  relaxedSimd?: boolean;
}

let pending: Promise<void> = Promise.resolve();

/** Instantiates the engine. Call once before anything else; later calls are cheap. */
export function ready(options: ReadyOptions = {}): Promise<void> {
  // One call at a time: each sees the module the previous one left, so a switch that was decided
  // before tensors were made can never land after them (they would point into the old memory).
  const done = pending.then(() => instantiate(options));
  pending = done.catch(() => {});
  return done;
}

async function instantiate(options: ReadyOptions): Promise<void> {
  const wantRelaxed = !!options.relaxedSimd && relaxedSimdSupported();
  if (kernels && wantRelaxed === relaxedActive) return;
  if (kernels && liveTensorCount() > 0) {
    throw new Error(`simdnn.ready: cannot switch to the ${wantRelaxed ? 'relaxed-SIMD' : 'default SIMD'} build ` +
      `while ${liveTensorCount()} tensors live in the current one; dispose them first`);
  }
  const { instance } = await WebAssembly.instantiate(decode(wantRelaxed ? relaxedWasm : simdWasm), {
    env: {
      abort(msg: number, file: number, line: number, col: number) {
        const text = (p: number) => (p ? readString((instance.exports.memory as WasmMemory).buffer, p) : '?');
        throw new Error(`simdnn: wasm abort: ${text(msg)} (${text(file)}:${line}:${col})`);
      },
    },
  });
  kernels = instance.exports as unknown as Kernels;
  relaxedActive = wantRelaxed;
  // GEMM scratch (pack panels, a tile) for this instance: every kernel that runs a GEMM takes it
  // as its `ws` argument (later one per thread).
  workspace = kernels.alloc(kernels.gemm_workspace_size());
  for (const hook of resetHooks) hook();
}

/** An AssemblyScript string: UTF-16 code units, their byte length in the header word before them. */
function readString(buffer: ArrayBuffer, ptr: number): string {
  const bytes = new Uint32Array(buffer)[(ptr - 4) >>> 2];
  return String.fromCharCode(...new Uint16Array(buffer, ptr, Math.min(bytes >>> 1, 1000)));
}

const resetHooks: Array<() => void> = [];
/** Runs `hook` every time a fresh module is instantiated (caches of pointers must be rebuilt). */
export function onInstantiate(hook: () => void): void { resetHooks.push(hook); }

let liveTensorCount: () => number = () => 0;
export function setLiveTensorCounter(f: () => number): void { liveTensorCount = f; }

export function k(): Kernels {
  if (!kernels) throw new Error('simdnn: the engine is not ready; call `await nn.ready()` first');
  return kernels;
}

/** The engine's GEMM workspace: the `ws` argument of the GEMM entry points and the recurrent kernels. */
export function gemmWorkspace(): number {
  k();
  return workspace;
}

export function isReady(): boolean { return kernels !== null; }
export function isRelaxed(): boolean { return relaxedActive; }

/** A Float32Array over the whole wasm memory. Never keep it across a kernel call: memory may grow. */
export function heapF32(): Float32Array {
  const buf = k().memory.buffer;
  if (f32View.buffer !== buf) f32View = new Float32Array(buf);
  return f32View;
}

export function heapI32(): Int32Array {
  const buf = k().memory.buffer;
  if (i32View.buffer !== buf) i32View = new Int32Array(buf);
  return i32View;
}

// AssemblyScript's allocator (TLSF) holds at most just under 1 GiB in one block, and a wasm32
// memory is at most 4 GiB. Larger sizes would also wrap around in the u32 argument.
const MAX_BLOCK_BYTES = 2 ** 30 - 64;

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

/** Allocates `bytes` in wasm memory; `what()` names the allocation in the error when it cannot be made. */
export function malloc(bytes: number, what = () => `${bytes} bytes`): number {
  if (!(bytes <= MAX_BLOCK_BYTES)) {
    throw new Error(`simdnn: cannot allocate ${what()} (${gib(bytes)}): one buffer holds at most 1 GiB (${MAX_BLOCK_BYTES / 4 | 0} floats)`);
  }
  try {
    return k().alloc(Math.max(16, bytes));
  } catch (e) {
    // memory.grow failed: the allocator traps before it changes anything, so the heap stays intact.
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    throw new Error(`simdnn: out of wasm memory allocating ${what()} (${gib(bytes)}; the module already has ` +
      `${gib(k().memory.buffer.byteLength)} of at most 4 GiB); dispose tensors that are no longer needed`);
  }
}
