import type {TensorInfo} from '@tensorflow/tfjs-core';

import {flat4Shape} from './glsl/flat4.js';
import {ProjectionMode, projectionGlsl} from './glsl/projection.js';
import {bindInputs, FlatProgram} from './program_util.js';
import {uniformList} from './uniforms.js';

export const PROJECTION_UNIFORMS = uniformList([
  ['inputs', 'int'],
  ['units', 'int'],
] as const);

/**
 * P = x Wᵀ + b for every batch row and step, [batch * time * units] flat, or flat4 with `toFlat4`;
 * see glsl/projection.ts.
 */
export class ProjectionProgram extends FlatProgram {
  /** Inputs are flat (see FlatInputs); x is bound unless the mode is 'biasOnly'. */
  constructor(
    inputs: {x: TensorInfo | null; inputWeights: TensorInfo | null; biasTerms: TensorInfo | null},
    opts: {rows: number; units: number; mode: ProjectionMode; toFlat4: boolean},
  ) {
    const size = opts.rows * opts.units;
    super(bindInputs(inputs), {
      outputShape: opts.toFlat4 ? flat4Shape(size) : [size],
      userCode: projectionGlsl({mode: opts.mode, hasBias: inputs.biasTerms != null, toFlat4: opts.toFlat4}),
      customUniforms: PROJECTION_UNIFORMS.declarations,
      packedOutput: opts.toFlat4,
    });
  }
}
