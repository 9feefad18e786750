/**
 * The backend's uniform packing, reached from outside: recorded_dispatches.ts keeps every step's
 * uniforms in a buffer of its own, in the bytes the backend would have uploaded. The backend has no
 * public way to pack uniforms; its `makeUniforms` and `queue` are private in its typings, and that
 * reach is kept to this file.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';

import type {ProgramUniformData} from './uniforms.js';

interface PackingInternals {
  makeUniforms(uniforms: ProgramUniformData): unknown;
}

/**
 * The bytes the backend packs `uniforms` into (its own layout, WGSL's alignment rules), caught on their
 * way to its queue. The pool buffer it takes for them goes back at its next submit, unused.
 */
export function packedBytes(backend: WebGPUBackend, uniforms: ProgramUniformData): ArrayBuffer {
  const holder = backend as unknown as {queue: GPUQueue};
  const queue = holder.queue;
  let bytes: ArrayBuffer | null = null;
  const catcher = {
    writeBuffer(_buffer: GPUBuffer, _offset: number, data: ArrayBuffer, dataOffset = 0, size?: number) {
      bytes = data.slice(dataOffset, size == null ? undefined : dataOffset + size);
    },
  };
  holder.queue = catcher as unknown as GPUQueue;
  try {
    (backend as unknown as PackingInternals).makeUniforms(uniforms);
  } finally {
    holder.queue = queue;
  }
  if (bytes == null) throw new Error('SingleGateRNN on webgpu: the backend packed no uniforms');
  return bytes;
}
