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

/**
 * A program's inputs by binding name, in binding order; null or undefined ones are not bound. The one
 * list a program derives both its `variableNames` and the operands it is run with from, so the two
 * cannot disagree.
 */
export type NamedInputs = Readonly<Record<string, TensorInfo | null | undefined>>;

export interface BoundInputs {
  /** For `WebGPUProgram.variableNames`: how the shader names each bound input. */
  readonly variableNames: string[];
  /** For `runWebGPUProgram`: the bound inputs, flat (see `flat`), in the same order. */
  readonly operands: TensorInfo[];
}

export function bindInputs(inputs: NamedInputs): BoundInputs {
  const bound = Object.entries(inputs).filter((entry): entry is [string, TensorInfo] => entry[1] != null);
  return {variableNames: bound.map(([name]) => name), operands: bound.map(([, tensor]) => flat(tensor))};
}
