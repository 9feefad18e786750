/**
 * The fused recurrence's WebAssembly module (built from scripts/wasm/recurrence_wat.js), instantiated
 * once on a memory of its own that grows with the largest call. Its own memory rather than the wasm
 * backend's: the backend's heap may be a SharedArrayBuffer (threaded binary) and is not exported in a
 * form a second module can import on every runtime; the copies in and out cost a few percent at most.
 */
import type {Gemm} from './blocked_gemm.js';
import {growMemoryTo} from './heap.js';
import {
  RECURRENCE_FMA_WASM_BASE64,
  RECURRENCE_SHARED_FMA_WASM_BASE64,
  RECURRENCE_SHARED_WASM_BASE64,
  RECURRENCE_WASM_BASE64,
} from './recurrence_binary.js';

export interface FusedModule {
  memory: WebAssembly.Memory;
  gemm: Gemm;
  /** Whether this is the relaxed SIMD build (fused multiply-adds). */
  fma: boolean;
}

let instance: FusedModule | null | undefined;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The module, or null where this runtime cannot compile it (no WebAssembly SIMD): the kernel then
 * takes its fallback path. The relaxed SIMD build where the runtime validates it (Chromium; Node from
 * 22), else the plain SIMD one. Compiled synchronously: the module is under the 4 KiB that browsers allow
 * on the main thread.
 */
export function fusedModule(): FusedModule | null {
  if (instance !== undefined) return instance;
  try {
    const memory = new WebAssembly.Memory({initial: 1, maximum: 65536});
    instance = instantiate(memory, RECURRENCE_FMA_WASM_BASE64, RECURRENCE_WASM_BASE64).module;
  } catch {
    instance = null;
  }
  return instance;
}

/**
 * The shared-memory build on a new shared memory, for threads (thread_pool.ts), and its bytes for the
 * workers to compile; throws where the runtime cannot compile it or make the memory.
 */
export function sharedFusedModule(): {module: FusedModule; bytes: Uint8Array} {
  const memory = new WebAssembly.Memory({initial: 1, maximum: 65536, shared: true});
  return instantiate(memory, RECURRENCE_SHARED_FMA_WASM_BASE64, RECURRENCE_SHARED_WASM_BASE64);
}

/** The relaxed SIMD build where the runtime validates it, else the plain one, on `memory`. */
function instantiate(
  memory: WebAssembly.Memory,
  fmaBase64: string,
  plainBase64: string,
): {module: FusedModule; bytes: Uint8Array} {
  const withFma = decodeBase64(fmaBase64);
  const fma = WebAssembly.validate(withFma as BufferSource);
  const bytes = fma ? withFma : decodeBase64(plainBase64);
  const compiled = new WebAssembly.Module(bytes as BufferSource);
  const exports = new WebAssembly.Instance(compiled, {env: {memory}}).exports;
  return {module: {memory, gemm: exports.gemm as Gemm, fma}, bytes};
}

/** The module's memory as float32 and bytes, at least `bytes` long (grown if needed). */
export function fusedViews(module: FusedModule, bytes: number): {f32: Float32Array; u8: Uint8Array} {
  growMemoryTo(module.memory, bytes);
  return {f32: new Float32Array(module.memory.buffer), u8: new Uint8Array(module.memory.buffer)};
}
