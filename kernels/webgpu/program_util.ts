/** Small pieces shared by the programs of this kernel. */
import type {TensorInfo} from '@tensorflow/tfjs-core';

/** Invocations per workgroup of the one-invocation-per-element programs (WebGPU's guaranteed minimum). */
export const ELEMENTWISE_WORKGROUP: [number, number, number] = [256, 1, 1];

export function elementwiseDispatch(total: number): [number, number, number] {
  // The backend folds an x count above the per-dimension limit into y and z, and its getGlobalIndex
  // undoes that, so programs index by `index` alone.
  return [Math.ceil(total / ELEMENTWISE_WORKGROUP[0]), 1, 1];
}

/**
 * A rank-1 view of a tensor (same data). Programs here index their buffers by hand; flat views keep the
 * backend's generated per-input helpers (unused) minimal and the shader key independent of input ranks.
 */
export function flat(t: TensorInfo): TensorInfo {
  return {dataId: t.dataId, shape: [t.shape.reduce((a, b) => a * b, 1)], dtype: t.dtype};
}
