import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram} from './program_util.js';
import {uniformLayout} from './uniforms.js';
import {FLOAT16_WGSL} from './wgsl/float16.js';
import {PROJECTION_TILE, PROJECTION_WORKGROUP, projectionWgsl} from './wgsl/projection.js';

export const PROJECTION_UNIFORMS = uniformLayout([
  ['rows', 'i32'],
  ['inputs', 'i32'],
  ['units', 'i32'],
] as const);

/** The least maxComputeWorkgroupsPerDimension a WebGPU device has (the spec's default limit). */
const MIN_WORKGROUPS_PER_DIMENSION = 65535;

/** P = X Wᵀ (+ b) for all batch rows and steps; writes the op's output buffer [batch, time, units]. */
export class ProjectionProgram extends BoundProgram {
  constructor(
    inputs: {x: TensorInfo; inputWeights: TensorInfo; biasTerms: TensorInfo | null},
    opts: {batch: number; time: number; units: number; roundToFloat16: boolean},
  ) {
    const {roundToFloat16} = opts;
    const hasBias = inputs.biasTerms != null;
    // Row blocks past one dispatch dimension (B·T >= 65535 · 64 rows) fold into z; the shader numbers
    // a block y + z · numWorkgroups.y, and blocks past the last row store nothing. 65535 is WebGPU's
    // guaranteed maxComputeWorkgroupsPerDimension, so the fold holds on every device.
    const rowBlocks = Math.ceil((opts.batch * opts.time) / PROJECTION_TILE);
    const folds = Math.ceil(rowBlocks / MIN_WORKGROUPS_PER_DIMENSION);
    super(inputs, {
      outputShape: [opts.batch, opts.time, opts.units],
      dispatch: [Math.ceil(opts.units / PROJECTION_TILE), Math.ceil(rowBlocks / folds), folds],
      workgroupSize: PROJECTION_WORKGROUP,
      uniforms: PROJECTION_UNIFORMS.wgsl,
      shaderKey: `sgrnnProjection_${roundToFloat16 ? 'f16' : 'f32'}_${hasBias ? 'bias' : 'nobias'}`,
      userCode: () => `${roundToFloat16 ? FLOAT16_WGSL : ''}
${projectionWgsl({roundToFloat16, hasBias})}`,
    });
  }
}
