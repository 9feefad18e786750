import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';
import type {TensorInfo} from '@tensorflow/tfjs-core';

import {ProjectionMode, projectionGlsl} from './glsl/projection.js';
import {bindInputs} from './program_util.js';
import {uniformList} from './uniforms.js';

export const PROJECTION_UNIFORMS = uniformList([
  ['inputs', 'int'],
  ['units', 'int'],
] as const);

/** P = x Wᵀ + b for every batch row and step, [batch * time * units] flat; see glsl/projection.ts. */
export class ProjectionProgram implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms = true;
  customUniforms = PROJECTION_UNIFORMS.declarations;
  readonly operands: TensorInfo[];

  /** Inputs are flat (see FlatInputs); x is bound unless the mode is 'biasOnly'. */
  constructor(
    inputs: {x: TensorInfo | null; inputWeights: TensorInfo | null; biasTerms: TensorInfo | null},
    opts: {rows: number; units: number; mode: ProjectionMode},
  ) {
    ({variableNames: this.variableNames, operands: this.operands} = bindInputs(inputs));
    this.outputShape = [opts.rows * opts.units];
    this.userCode = projectionGlsl({mode: opts.mode, hasBias: inputs.biasTerms != null});
  }
}
