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
  outputShape: number[];
  shaderKey: string;
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  uniforms = PROJECTION_UNIFORMS.wgsl;
  readonly plan: ProjectionPlan;
  private readonly roundToFloat16: boolean;
  private readonly hasBias: boolean;

  constructor(
    inputs: {x: TensorInfo; inputWeights: TensorInfo; biasTerms: TensorInfo | null},
    opts: {batch: number; time: number; inputs: number; units: number; roundToFloat16: boolean},
    limits: DeviceLimits,
  ) {
    super(inputs);
    this.outputShape = [opts.batch, opts.time, opts.units];
    this.roundToFloat16 = opts.roundToFloat16;
    this.hasBias = inputs.biasTerms != null;
    const shape = {rows: opts.batch * opts.time, inputs: opts.inputs, units: opts.units};
    this.plan = planProjection(shape, limits);
    this.dispatch = projectionDispatch(this.plan, shape);
    this.workgroupSize = projectionWorkgroup(this.plan);
    this.shaderKey = [
      'sgrnnProjection',
      projectionKey(this.plan),
      this.roundToFloat16 ? 'f16' : 'f32',
      this.hasBias ? 'bias' : 'nobias',
    ].join('_');
  }

  getUserCode(): string {
    return `${this.roundToFloat16 ? FLOAT16_WGSL : ''}
${projectionWgsl(this.plan, {roundToFloat16: this.roundToFloat16, hasBias: this.hasBias})}`;
  }
}
