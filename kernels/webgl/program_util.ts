/** Small pieces shared by the programs of this kernel. */
import type {GPGPUProgram, MathBackendWebGL} from '@tensorflow/tfjs-backend-webgl';
import type {TensorInfo} from '@tensorflow/tfjs-core';

/**
 * A program's inputs by sampler name, in order; null or undefined ones are not bound. The one list a
 * program derives both its `variableNames` and the operands it is run with from, so the two cannot
 * disagree.
 */
export type NamedInputs = Readonly<Record<string, TensorInfo | null | undefined>>;

export interface BoundInputs {
  /** For `GPGPUProgram.variableNames`: GLSL reads input `x` as `getX(index)`. */
  readonly variableNames: string[];
  /** For `runWebGLProgram`, in the same order. */
  readonly operands: TensorInfo[];
}

export function bindInputs(inputs: NamedInputs): BoundInputs {
  const bound = Object.entries(inputs).filter((entry): entry is [string, TensorInfo] => entry[1] != null);
  return {variableNames: bound.map(([name]) => name), operands: bound.map(([, tensor]) => tensor)};
}

/** What a program states besides its inputs. */
interface FlatProgramLayout {
  outputShape: number[];
  /** The shader; with the inputs' ranks and flags it keys the compiled program. */
  userCode: string;
  /** The program's own uniforms (its uniformList's declarations). */
  customUniforms?: GPGPUProgram['customUniforms'];
  /** The inputs are flat4 textures (glsl/flat4.ts), not one value per texel. */
  packedInputs?: boolean;
  /** The output is a flat4 texture. */
  packedOutput?: boolean;
}

/**
 * The base of this kernel's programs: each reads its inputs flat (see FlatInputs) with shape uniforms
 * and states only its layout; its `variableNames` and `operands` come from one binding (bindInputs). A
 * subclass per program, so that the backend's and the specs' view of a program names it.
 */
export abstract class FlatProgram implements GPGPUProgram {
  readonly variableNames: string[];
  /** What to pass to runWebGLProgram, matching variableNames. */
  readonly operands: TensorInfo[];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms = true;
  customUniforms?: GPGPUProgram['customUniforms'];
  packedInputs?: boolean;
  packedOutput?: boolean;

  protected constructor(bound: BoundInputs, layout: FlatProgramLayout) {
    this.variableNames = bound.variableNames;
    this.operands = bound.operands;
    this.outputShape = layout.outputShape;
    this.userCode = layout.userCode;
    this.customUniforms = layout.customUniforms;
    this.packedInputs = layout.packedInputs;
    this.packedOutput = layout.packedOutput;
  }
}

/** A rank-1 view of a tensor (same data). */
export function flat(t: TensorInfo): TensorInfo {
  return {dataId: t.dataId, shape: [t.shape.reduce((a, b) => a * b, 1)], dtype: t.dtype};
}

/**
 * The programs here read every input and write every output as a flat array, indexing by hand. That
 * keeps each program's cache key free of the shapes (with shape uniforms the backend keys on ranks and
 * a few size-is-one flags only), so a new batch or sequence length reuses the compiled program.
 *
 * An unpacked texture holds its values in row-major order whatever its logical shape, so a flat view
 * of it is free. A packed one (2x2 blocks laid out by its own shape) is not: it is unpacked once here,
 * with its real shape; `release` frees those copies when the call is recorded.
 */
export class FlatInputs {
  private readonly copies: TensorInfo[] = [];

  constructor(private readonly backend: MathBackendWebGL) {}

  of(t: TensorInfo): TensorInfo;
  of(t: TensorInfo | undefined): TensorInfo | undefined;
  of(t: TensorInfo | undefined): TensorInfo | undefined {
    if (t == null) return undefined;
    if (this.backend.texData.get(t.dataId).isPacked) {
      const unpacked = this.backend.unpackTensor(t);
      this.copies.push(unpacked);
      return flat(unpacked);
    }
    // The programs read textures directly (glsl/fetch.ts); an input of up to four values still on the
    // CPU would otherwise be passed as a uniform array.
    this.backend.uploadToGPU(t.dataId);
    return flat(t);
  }

  release(): void {
    for (const copy of this.copies) this.backend.disposeIntermediateTensorInfo(copy);
    this.copies.length = 0;
  }
}
