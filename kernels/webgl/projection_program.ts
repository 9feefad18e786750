import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';
import type {TensorInfo} from '@tensorflow/tfjs-core';

import {flat4Shape} from './glsl/flat4.js';
import {ProjectionMode, projectionGlsl} from './glsl/projection.js';
import {bindInputs} from './program_util.js';
import {uniformList} from './uniforms.js';

export const PROJECTION_UNIFORMS = uniformList([
  ['inputs', 'int'],
  ['units', 'int'],
] as const);

/**
 * P = x Wᵀ + b for every batch row and step, [batch * time * units] flat, or flat4 with `toFlat4`;
 * see glsl/projection.ts.
 */
export class ProjectionProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms = true;
  customUniforms = PROJECTION_UNIFORMS.declarations;
  packedOutput: boolean;
  readonly operands: TensorInfo[];

  /** Inputs are flat (see FlatInputs); x is bound unless the mode is 'biasOnly'. */
  constructor(
    inputs: {x: TensorInfo | null; inputWeights: TensorInfo | null; biasTerms: TensorInfo | null},
    opts: {rows: number; units: number; mode: ProjectionMode; toFlat4: boolean},
  ) {
    ({variableNames: this.variableNames, operands: this.operands} = bindInputs(inputs));
    const size = opts.rows * opts.units;
    this.outputShape = opts.toFlat4 ? flat4Shape(size) : [size];
    this.packedOutput = opts.toFlat4;
    this.userCode = projectionGlsl({
      mode: opts.mode,
      hasBias: inputs.biasTerms != null,
      toFlat4: opts.toFlat4,
    });
  }
}
