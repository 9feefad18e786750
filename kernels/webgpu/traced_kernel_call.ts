/**
 * The frame every webgpu kernel of ours runs its calls in: the buffer limits checked (once per
 * configuration: a traced call of the same key passed the same check on this device), the GPU's errors
 * caught (error_scopes.ts), weights kept across calls prepared, and the call's work traced on its first
 * run for a configuration and replayed after (call_trace.ts).
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BufferNeed, checkBufferLimits, limitsOf} from './buffer_limits.js';
import {callKey, hasTrace, tracedCall} from './call_trace.js';
import {withErrorScopes} from './error_scopes.js';

/** One kernel call, as the frame needs it. */
export interface KernelCall<Kept extends ReadonlyArray<TensorInfo | null>> {
  /** The kernel's name: calls of different kernels never share a trace. */
  kernel: string;
  /** The kernel's tensor inputs as it received them (absent ones null or undefined), in a fixed order. */
  inputs: ReadonlyArray<TensorInfo | null | undefined>;
  /** The kernel's attributes: with the inputs' shapes, dtypes and data sharing, the trace's key. */
  attrs: Readonly<Record<string, unknown>>;
  /** Every buffer a call binds, for checkBufferLimits. */
  buffers: () => BufferNeed[];
  /**
   * Tensors kept across calls that the call reads (weights in the shaders' layouts, each made on the
   * first call with a weights tensor): made before the trace, so that a replay finds them as operands
   * instead of making them again. The caller must not release them.
   */
  kept: () => Kept;
  /** The call's work, every piece of it through runSteps or copyRanges; returns its results. */
  record: (kept: Kept) => TensorInfo[];
}

/** The results of `call` on `backend` (see the top of this file). */
export function runKernelCall<Kept extends ReadonlyArray<TensorInfo | null>>(
  backend: WebGPUBackend,
  call: KernelCall<Kept>,
): TensorInfo[] {
  const key = `${call.kernel}:${callKey(call.inputs, call.attrs)}`;
  if (!hasTrace(backend, key)) checkBufferLimits(call.buffers(), limitsOf(backend.device));
  return withErrorScopes(backend, () => {
    const kept = call.kept();
    return tracedCall(backend, key, [...call.inputs, ...kept], () => call.record(kept));
  });
}
