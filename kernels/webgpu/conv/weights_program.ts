import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram, ELEMENTWISE_WORKGROUP, elementwiseDispatch} from '../program_util.js';
import {uniformLayout} from '../uniforms.js';
import {FLOAT16_WGSL} from '../wgsl/float16.js';
import {convWeightsWgsl} from './wgsl/weights.js';

export const CONV_WEIGHTS_UNIFORMS = uniformLayout([
  ['channels', 'i32'],
  ['paddedChannels', 'i32'],
  ['window', 'i32'],
] as const);

/**
 * The layout of W or U the shaders read (wgsl/weights.ts), for OHWI weights of shape
 * [outChannels, kernelHeight, kernelWidth, inChannels]: [window, paddedOutChannels] float32.
 */
export function convWeightsShape(weightsShape: readonly number[]): [window: number, paddedChannels: number] {
  const [outChannels, kernelHeight, kernelWidth, inChannels] = weightsShape;
  return [kernelHeight * kernelWidth * inChannels, 4 * Math.ceil(outChannels / 4)];
}

/** W or U (OHWI) laid out by output-channel quads, rounded to float16 values unless useFloat32Weights. */
export class ConvWeightsProgram extends BoundProgram {
  outputShape: number[];
  shaderKey: string;
  dispatch: [number, number, number];
  workgroupSize = ELEMENTWISE_WORKGROUP;
  uniforms = CONV_WEIGHTS_UNIFORMS.wgsl;
  private readonly float16: boolean;

  constructor(inputs: {weights: TensorInfo}, opts: {float16: boolean}) {
    super(inputs);
    this.float16 = opts.float16;
    this.outputShape = convWeightsShape(inputs.weights.shape);
    this.dispatch = elementwiseDispatch(this.outputShape[0] * this.outputShape[1]);
    this.shaderKey = `sgconvWeights_${this.float16 ? 'f16' : 'f32'}`;
  }

  /** The uniforms for `weights` of this call. */
  static uniformsFor(weights: TensorInfo): ReturnType<typeof CONV_WEIGHTS_UNIFORMS.data> {
    const [window, paddedChannels] = convWeightsShape(weights.shape);
    return CONV_WEIGHTS_UNIFORMS.data({channels: weights.shape[0], paddedChannels, window});
  }

  getUserCode(): string {
    return `${this.float16 ? FLOAT16_WGSL : ''}
${convWeightsWgsl({float16: this.float16})}`;
  }
}
