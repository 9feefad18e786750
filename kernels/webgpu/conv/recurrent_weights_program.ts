import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram, ELEMENTWISE_WORKGROUP, elementwiseDispatch} from '../program_util.js';
import {uniformLayout} from '../uniforms.js';
import {FLOAT16_WGSL} from '../wgsl/float16.js';
import {convRecurrentWeightsWgsl} from './wgsl/recurrent_weights.js';

export const CONV_RECURRENT_WEIGHTS_UNIFORMS = uniformLayout([
  ['channels', 'i32'],
  ['paddedChannels', 'i32'],
  ['window', 'i32'],
] as const);

/** The layout of U the recurrence reads (wgsl/recurrent_weights.ts): [window, paddedChannels] float32. */
export function convRecurrentWeightsShape(
  channels: number,
  kernelHeight: number,
  kernelWidth: number,
): [window: number, paddedChannels: number] {
  return [kernelHeight * kernelWidth * channels, 4 * Math.ceil(channels / 4)];
}

/** U (OHWI) laid out for the recurrence, rounded to float16 values unless useFloat32Weights. */
export class ConvRecurrentWeightsProgram extends BoundProgram {
  outputShape: number[];
  shaderKey: string;
  dispatch: [number, number, number];
  workgroupSize = ELEMENTWISE_WORKGROUP;
  uniforms = CONV_RECURRENT_WEIGHTS_UNIFORMS.wgsl;
  private readonly float16: boolean;

  constructor(inputs: {recurrentWeights: TensorInfo}, opts: {shape: [number, number]; float16: boolean}) {
    super(inputs);
    this.float16 = opts.float16;
    this.outputShape = [...opts.shape];
    this.dispatch = elementwiseDispatch(opts.shape[0] * opts.shape[1]);
    this.shaderKey = `sgconvRecurrentWeights_${this.float16 ? 'f16' : 'f32'}`;
  }

  getUserCode(): string {
    return `${this.float16 ? FLOAT16_WGSL : ''}
${convRecurrentWeightsWgsl({float16: this.float16})}`;
  }
}
