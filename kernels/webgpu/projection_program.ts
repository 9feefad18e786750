import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram} from './program_util.js';
import {
  planProjection,
  projectionDispatch,
  projectionKey,
  projectionWorkgroup,
  type ProjectionPlan,
} from './projection_plan.js';
import type {DeviceLimits} from './strategy.js';
import {uniformLayout} from './uniforms.js';
import {FLOAT16_WGSL} from './wgsl/float16.js';
import {projectionWgsl} from './wgsl/projection.js';

export const PROJECTION_UNIFORMS = uniformLayout([
  ['rows', 'i32'],
  ['inputs', 'i32'],
  ['units', 'i32'],
] as const);

/**
 * P = X Wᵀ (+ b) for all batch rows and steps; writes the op's output buffer [batch, time, units].
 * Which program runs (and its tile) is planned per shape and device (projection_plan.ts).
 */
export class ProjectionProgram extends BoundProgram {
  readonly plan: ProjectionPlan;

  constructor(
    inputs: {x: TensorInfo; inputWeights: TensorInfo; biasTerms: TensorInfo | null},
    opts: {batch: number; time: number; inputs: number; units: number; roundToFloat16: boolean},
    limits: DeviceLimits,
  ) {
    const {roundToFloat16} = opts;
    const hasBias = inputs.biasTerms != null;
    const shape = {rows: opts.batch * opts.time, inputs: opts.inputs, units: opts.units};
    const plan = planProjection(shape, limits);
    super(inputs, {
      outputShape: [opts.batch, opts.time, opts.units],
      dispatch: projectionDispatch(plan, shape),
      workgroupSize: projectionWorkgroup(plan),
      uniforms: PROJECTION_UNIFORMS.wgsl,
      shaderKey: [
        'sgrnnProjection',
        projectionKey(plan),
        roundToFloat16 ? 'f16' : 'f32',
        hasBias ? 'bias' : 'nobias',
      ].join('_'),
      userCode: () => `${roundToFloat16 ? FLOAT16_WGSL : ''}
${projectionWgsl(plan, {roundToFloat16, hasBias})}`,
    });
    this.plan = plan;
  }
}
