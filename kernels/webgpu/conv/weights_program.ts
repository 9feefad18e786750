import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram, elementwiseGrid} from '../program_util.js';
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
  constructor(inputs: {weights: TensorInfo}, opts: {float16: boolean}) {
    const {float16} = opts;
    const [window, paddedChannels] = convWeightsShape(inputs.weights.shape);
    super(inputs, {
      outputShape: [window, paddedChannels],
      ...elementwiseGrid(window * paddedChannels),
      uniforms: CONV_WEIGHTS_UNIFORMS.wgsl,
      shaderKey: `sgconvWeights_${float16 ? 'f16' : 'f32'}`,
      userCode: () => `${float16 ? FLOAT16_WGSL : ''}
${convWeightsWgsl({float16})}`,
    });
  }

  /** The uniforms for `weights` of this call. */
  static uniformsFor(weights: TensorInfo): ReturnType<typeof CONV_WEIGHTS_UNIFORMS.data> {
    const [window, paddedChannels] = convWeightsShape(weights.shape);
    return CONV_WEIGHTS_UNIFORMS.data({channels: weights.shape[0], paddedChannels, window});
  }
}
