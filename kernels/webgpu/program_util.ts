/** Small pieces shared by the programs of this kernel. */
import type {WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';
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

/** A program's inputs by binding name, in binding order; null or undefined ones are not bound. */
export type NamedInputs = Readonly<Record<string, TensorInfo | null | undefined>>;

/**
 * The base of this kernel's programs. A program is given its inputs once, by name, and derives both
 * `variableNames` (how its shader names them) and `operands` (what the kernel passes to
 * runWebGPUProgram) from that one list, so the two cannot disagree; which inputs are bound (and so
 * which shader variant runs) is the program's own decision. Every program indexes its buffers by hand
 * from a flat dispatch.
 */
export abstract class BoundProgram implements WebGPUProgram {
  abstract outputShape: number[];
  abstract shaderKey: string;
  abstract dispatch: [number, number, number];
  abstract workgroupSize: [number, number, number];
  abstract uniforms: string;
  dispatchLayout = {x: [0]};
  readonly variableNames: string[];
  /** What to pass to runWebGPUProgram, matching variableNames. */
  readonly operands: TensorInfo[];

  protected constructor(inputs: NamedInputs) {
    const bound = Object.entries(inputs).filter((entry): entry is [string, TensorInfo] => entry[1] != null);
    this.variableNames = bound.map(([name]) => name);
    this.operands = bound.map(([, tensor]) => flat(tensor));
  }

  /** Whether input `name` is bound. */
  protected binds(name: string): boolean {
    return this.variableNames.includes(name);
  }

  abstract getUserCode(): string;
}
