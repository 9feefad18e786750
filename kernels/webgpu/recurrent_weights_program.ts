import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram, ELEMENTWISE_WORKGROUP, elementwiseDispatch} from './program_util.js';
import {RecurrentWeightsLayout, recurrentWeightsLayout} from './recurrent_weights_layout.js';
import {uniformLayout} from './uniforms.js';
import {FLOAT16_WGSL} from './wgsl/float16.js';
import {recurrentWeightsWgsl} from './wgsl/recurrent_weights.js';

export const RECURRENT_WEIGHTS_UNIFORMS = uniformLayout([
  ['units', 'i32'],
  ['paddedUnits', 'i32'],
] as const);

/** U [units, units] laid out for the recurrence, as recurrent_weights_layout.ts describes. */
export class RecurrentWeightsProgram extends BoundProgram {
  outputShape: number[];
  shaderKey: string;
  dispatch: [number, number, number];
  workgroupSize = ELEMENTWISE_WORKGROUP;
  uniforms = RECURRENT_WEIGHTS_UNIFORMS.wgsl;
  readonly layout: RecurrentWeightsLayout;
  private readonly float16: boolean;

  constructor(inputs: {recurrentWeights: TensorInfo}, opts: {units: number; float16: boolean}) {
    super(inputs);
    this.float16 = opts.float16;
    this.layout = recurrentWeightsLayout(opts.units, opts.float16);
    this.outputShape = [...this.layout.shape];
    this.dispatch = elementwiseDispatch(this.layout.shape[0] * this.layout.shape[1]);
    this.shaderKey = `sgrnnRecurrentWeights_${this.float16 ? 'f16' : 'f32'}`;
  }

  getUserCode(): string {
    return `${this.float16 ? FLOAT16_WGSL : ''}
${recurrentWeightsWgsl({float16: this.float16})}`;
  }
}
