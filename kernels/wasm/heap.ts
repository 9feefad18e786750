/**
 * The wasm backend's memory as this kernel uses it, through BackendWasm's public members: a tensor's
 * byte offset (`getMemoryOffset`), outputs allocated on the heap (`makeOutput`), freed by `disposeData` and the heap's typed
 * views (`wasm.HEAPF32`, `wasm.HEAPU8`). The heap grows on allocation, which detaches views taken
 * before: take them after the call's last allocation.
 */
import type {BackendWasm} from '@tensorflow/tfjs-backend-wasm';
import type {TensorInfo} from '@tensorflow/tfjs-core';

/** The index of `tensor`'s first element in the heap view of `bytesPerElement`-byte elements. */
export function heapIndex(backend: BackendWasm, tensor: TensorInfo, bytesPerElement: 1 | 4): number {
  // malloc aligns to 8 bytes or more, so a float32 tensor's offset divides exactly.
  return backend.getMemoryOffset(tensor.dataId) / bytesPerElement;
}

/**
 * The Emscripten module's heap views. tfjs-backend-wasm types its module as extending the global
 * `EmscriptenModule` of @types/emscripten, which this package does not load into every build (nor
 * into its users' builds): name the two members used here instead.
 */
interface EmscriptenHeap {
  HEAPF32: Float32Array;
  HEAPU8: Uint8Array;
}

/** The heap's current float32 and byte views. */
export function heapViews(backend: BackendWasm): {f32: Float32Array; u8: Uint8Array} {
  const heap = backend.wasm as unknown as EmscriptenHeap;
  return {f32: heap.HEAPF32, u8: heap.HEAPU8};
}

/** Heap tensors a kernel makes for itself (scratch, intermediates), all freed by `dispose`. */
export class HeapTensors {
  private readonly tensors: TensorInfo[] = [];

  constructor(private readonly backend: BackendWasm) {}

  /** Keeps `tensor` for `dispose`; returns it. */
  add(tensor: TensorInfo): TensorInfo {
    this.tensors.push(tensor);
    return tensor;
  }

  dispose(): void {
    for (const tensor of this.tensors) this.backend.disposeData(tensor.dataId, true);
    this.tensors.length = 0;
  }
}

/** A WebAssembly memory page: 64 KiB. */
const PAGE_BYTES = 65536;

/**
 * Grows `memory` (a module's own, not the backend's heap) to at least `bytes`, or throws saying how
 * much the call needs against the most a 32-bit wasm memory holds (4 GiB) or the runtime grants.
 */
export function growMemoryTo(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return;
  const limit = 65536 * PAGE_BYTES;
  if (bytes > limit) {
    throw new Error(`SingleGateRNN on wasm needs ${bytes} bytes of memory, more than wasm32's ${limit}`);
  }
  try {
    memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
  } catch (e) {
    throw new Error(
      `SingleGateRNN on wasm could not grow its memory from ${have} to ${bytes} bytes: ${String(e)}`,
      {cause: e},
    );
  }
}
