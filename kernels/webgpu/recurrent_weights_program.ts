import type {WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';

import {ELEMENTWISE_WORKGROUP, elementwiseDispatch} from './program_util.js';
import {uniformLayout} from './uniforms.js';
import {FLOAT16_WGSL} from './wgsl/float16.js';
import {recurrentWeightsWgsl} from './wgsl/recurrent_weights.js';

export const RECURRENT_WEIGHTS_UNIFORMS = uniformLayout([
  ['units', 'i32'],
  ['paddedUnits', 'i32'],
] as const);

/**
 * U laid out for the recurrence: float32 [units, paddedUnits], or float16 pairs packed in int32
 * [units, paddedUnits / 2]. paddedUnits rounds units up to a multiple of 4.
 */
export class RecurrentWeightsProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = {x: [0]};
  dispatch: [number, number, number];
  variableNames = ['recurrentWeights'];
  workgroupSize = ELEMENTWISE_WORKGROUP;
  uniforms = RECURRENT_WEIGHTS_UNIFORMS.wgsl;
  readonly outputDtype: 'float32' | 'int32';
  private readonly float16: boolean;

  constructor(opts: {units: number; float16: boolean}) {
    const padded = 4 * Math.ceil(opts.units / 4);
    this.float16 = opts.float16;
    this.outputShape = [opts.units, opts.float16 ? padded / 2 : padded];
    this.outputDtype = opts.float16 ? 'int32' : 'float32';
    this.dispatch = elementwiseDispatch(this.outputShape[0] * this.outputShape[1]);
    this.shaderKey = `sgrnnRecurrentWeights_${this.float16 ? 'f16' : 'f32'}`;
  }

  getUserCode(): string {
    return `${this.float16 ? FLOAT16_WGSL : ''}
${recurrentWeightsWgsl({float16: this.float16})}`;
  }
}
