/**
 * Copies between tensors' buffers, recorded on the webgpu backend's command encoder in order with its
 * programs. For a few contiguous ranges this is far cheaper on the host than a program, which costs
 * the backend a shader-key lookup, a uniform buffer and its upload, and a bind group per dispatch.
 *
 * The backend has no public way to record a copy: this reaches its command encoder, and its set of
 * tensors the queued work uses (so that disposing one before the submit defers its release, as it does
 * for a program's). Both are private in its typings; that reach is kept to this file.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type {DataId, TensorInfo} from '@tensorflow/tfjs-core';

import {noteWork} from './call_trace.js';

interface EncoderInternals {
  commandEncoder: GPUCommandEncoder | null;
  commandQueueOwnedIds: WeakSet<DataId>;
}

/** One contiguous range, in bytes. */
interface CopyRange {
  srcOffset: number;
  dstOffset: number;
  size: number;
}

/** Records copies of `ranges` from `src`'s buffer to `dst`'s (allocated here if it has none yet). */
export function copyRanges(
  backend: WebGPUBackend,
  src: TensorInfo,
  dst: TensorInfo,
  ranges: readonly CopyRange[],
): void {
  backend.uploadToGPU(src.dataId);
  backend.uploadToGPU(dst.dataId);
  const from = backend.tensorMap.get(src.dataId).resource as GPUBuffer;
  const to = backend.tensorMap.get(dst.dataId).resource as GPUBuffer;
  // Copies cannot be recorded inside a compute pass: end the open one (the next program opens another).
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  const internals = backend as unknown as EncoderInternals;
  const encoder = internals.commandEncoder;
  if (encoder == null) throw new Error('SingleGateRNN on webgpu: the backend has no command encoder');
  for (const {srcOffset, dstOffset, size} of ranges) {
    encoder.copyBufferToBuffer(from, srcOffset, to, dstOffset, size);
  }
  internals.commandQueueOwnedIds.add(src.dataId);
  internals.commandQueueOwnedIds.add(dst.dataId);
  noteWork([src], dst, (b, [from], into) => copyRanges(b, from, into, ranges));
}
