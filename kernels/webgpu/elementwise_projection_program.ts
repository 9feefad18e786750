import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram, elementwiseGrid} from './program_util.js';
import {uniformLayout} from './uniforms.js';
import {elementwiseProjectionWgsl} from './wgsl/projection.js';

export const ELEMENTWISE_PROJECTION_UNIFORMS = uniformLayout([
  ['total', 'i32'],
  ['units', 'i32'],
] as const);

/**
 * P = x + b (unit-transform mode: pass x) or P = b (W absent: pass no x); b may be absent too, leaving
 * P = x or 0.
 */
export class ElementwiseProjectionProgram extends BoundProgram {
  constructor(
    inputs: {x: TensorInfo | null; biasTerms: TensorInfo | null},
    opts: {batch: number; time: number; units: number},
  ) {
    const unitTransform = inputs.x != null;
    const hasBias = inputs.biasTerms != null;
    super(inputs, {
      outputShape: [opts.batch, opts.time, opts.units],
      ...elementwiseGrid(opts.batch * opts.time * opts.units),
      uniforms: ELEMENTWISE_PROJECTION_UNIFORMS.wgsl,
      shaderKey: `sgrnnElementwiseProjection_${unitTransform ? 'unit' : 'zero'}_${hasBias ? 'bias' : 'nobias'}`,
      userCode: () => elementwiseProjectionWgsl({unitTransform, hasBias}),
    });
  }
}
