/** Small pieces shared by the programs of this kernel. */
import type {WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';
import type {TensorInfo} from '@tensorflow/tfjs-core';

/** Invocations per workgroup of the one-invocation-per-element programs (WebGPU's guaranteed minimum). */
const ELEMENTWISE_WORKGROUP: [number, number, number] = [256, 1, 1];

/** The grid of a program with one invocation per element, `total` elements. */
export function elementwiseGrid(total: number): Pick<ProgramLayout, 'dispatch' | 'workgroupSize'> {
  // The backend folds an x count above the per-dimension limit into y and z, and its getGlobalIndex
  // undoes that, so programs index by `index` alone.
  return {
    dispatch: [Math.ceil(total / ELEMENTWISE_WORKGROUP[0]), 1, 1],
    workgroupSize: ELEMENTWISE_WORKGROUP,
  };
}

/**
 * A rank-1 view of a tensor (same data). Programs here index their buffers by hand; flat views keep the
 * backend's generated per-input helpers (unused) minimal and the shader key independent of input ranks.
 */
function flat(t: TensorInfo): TensorInfo {
  return {dataId: t.dataId, shape: [t.shape.reduce((a, b) => a * b, 1)], dtype: t.dtype};
}

/** A program's inputs by binding name, in binding order; null or undefined ones are not bound. */
type NamedInputs = Readonly<Record<string, TensorInfo | null | undefined>>;

/**
 * What the recurrence programs of both variants read besides P (already in the output buffer). A type,
 * not an interface, so that it is a NamedInputs.
 */
export type RecurrenceInputs = {
  /** U as the variant's weights program lays it out. */
  recurrentWeights: TensorInfo;
  initialState: TensorInfo | null;
  mask: TensorInfo | null;
};

/**
 * The uniform fields every recurrence program ends with: the direction (1: backward) and g's parameters
 * (neuron.ts), in this order.
 */
export const DIRECTION_AND_NEURON_UNIFORMS = [
  ['backward', 'i32'],
  ['neuronA', 'f32'],
  ['neuronB', 'f32'],
  ['neuronC', 'f32'],
] as const;

/** What a program states besides its inputs: its one dispatch and its shader. */
interface ProgramLayout {
  outputShape: number[];
  /** Everything the shader bakes in: it keys the compiled pipeline and the recorded dispatches. */
  shaderKey: string;
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  /** The program's own uniform fields (its uniformLayout's `wgsl`). */
  uniforms: string;
  /** Components per word of the inputs read wider than one element, by binding name (the others: 1). */
  components?: Readonly<Record<string, number>>;
  /** The shader's WGSL; called only when the backend compiles a pipeline the key does not find. */
  userCode: () => string;
}

/**
 * The base of this kernel's programs. A program is given its inputs once, by name, and derives both
 * `variableNames` (how its shader names them) and `operands` (what the kernel passes to
 * runWebGPUProgram) from that one list, so the two cannot disagree; which inputs are bound (and so
 * which shader variant runs) is the program's own decision. Every program indexes its buffers by hand
 * from a flat dispatch. A subclass states only its layout (a subclass per program, so that errors and
 * the dispatch observer name it).
 */
export abstract class BoundProgram implements WebGPUProgram {
  outputShape: number[];
  /** Extended by the backend on every run: a program object serves one run. */
  shaderKey: string;
  dispatch: [number, number, number];
  dispatchLayout = {x: [0]};
  workgroupSize: [number, number, number];
  uniforms: string;
  variableComponents?: number[];
  readonly variableNames: string[];
  /** What to pass to runWebGPUProgram, matching variableNames. */
  readonly operands: TensorInfo[];
  private readonly userCode: () => string;

  protected constructor(inputs: NamedInputs, layout: ProgramLayout) {
    const bound = Object.entries(inputs).filter((entry): entry is [string, TensorInfo] => entry[1] != null);
    this.variableNames = bound.map(([name]) => name);
    this.operands = bound.map(([, tensor]) => flat(tensor));
    this.outputShape = layout.outputShape;
    this.shaderKey = layout.shaderKey;
    this.dispatch = layout.dispatch;
    this.workgroupSize = layout.workgroupSize;
    this.uniforms = layout.uniforms;
    const {components} = layout;
    if (components != null) this.variableComponents = this.variableNames.map((name) => components[name] ?? 1);
    this.userCode = layout.userCode;
  }

  getUserCode(): string {
    return this.userCode();
  }
}
