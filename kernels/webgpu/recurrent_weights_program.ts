import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram, elementwiseGrid} from './program_util.js';
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
  readonly layout: RecurrentWeightsLayout;

  constructor(inputs: {recurrentWeights: TensorInfo}, opts: {units: number; float16: boolean}) {
    const {float16} = opts;
    const layout = recurrentWeightsLayout(opts.units, float16);
    super(inputs, {
      outputShape: [...layout.shape],
      ...elementwiseGrid(layout.shape[0] * layout.shape[1]),
      uniforms: RECURRENT_WEIGHTS_UNIFORMS.wgsl,
      shaderKey: `sgrnnRecurrentWeights_${float16 ? 'f16' : 'f32'}`,
      userCode: () => `${float16 ? FLOAT16_WGSL : ''}
${recurrentWeightsWgsl({float16})}`,
    });
    this.layout = layout;
  }
}
