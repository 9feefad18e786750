import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram} from '../program_util.js';
import {uniformLayout} from '../uniforms.js';
import {windowTile} from './strategy.js';
import {CONV_WORKGROUP} from './tuning.js';
import {type ConvProjectionShaderOptions, convProjectionWgsl} from './wgsl/projection.js';
import type {ConvWindow} from './wgsl/window.js';

export const CONV_PROJECTION_UNIFORMS = uniformLayout([
  ['images', 'i32'],
  ['inChannels', 'i32'],
  ['height', 'i32'],
  ['width', 'i32'],
] as const);

/**
 * P = conv(x_t, W) (+ b) for every batch row and step; writes the op's output buffer
 * [batch, time, height, width, outChannels]. The image size and input channels are uniforms; output
 * channels, W's window and the tile (from the window's length, input channels included, so a
 * window crossing the long-window threshold compiles its own pipeline) are baked (in the shader key).
 */
export class ConvProjectionProgram extends BoundProgram {
  constructor(
    inputs: {
      x: TensorInfo;
      /** W as ConvWeightsProgram lays it out. */
      inputWeights: TensorInfo;
      biasTerms: TensorInfo | null;
    },
    opts: {
      outputShape: number[];
      /** x's channels: with W's window, how long each window sum is. */
      inChannels: number;
      window: Omit<ConvWindow, 'weights' | 'inChannels'>;
    },
  ) {
    const {outputShape} = opts;
    const [batch, time, height, width, outChannels] = outputShape;
    // Input channels are a uniform, as the matrix projection's inputs are.
    const window = {...opts.window, weights: 'inputWeights', inChannels: 'uniforms.inChannels'};
    const tile = windowTile(window.kernelHeight * window.kernelWidth * opts.inChannels);
    const shader: ConvProjectionShaderOptions = {
      window,
      outChannels,
      hasBias: inputs.biasTerms != null,
      tile,
    };
    // The backend folds a count past the per-dimension limit into y and z; getGlobalIndex undoes it.
    const items = batch * time * height * Math.ceil(width / tile) * window.quads;
    super(inputs, {
      outputShape,
      components: {inputWeights: 4},
      dispatch: [Math.ceil(items / CONV_WORKGROUP), 1, 1],
      workgroupSize: [CONV_WORKGROUP, 1, 1],
      uniforms: CONV_PROJECTION_UNIFORMS.wgsl,
      shaderKey: [
        'sgconvProjection',
        outChannels,
        window.kernelHeight,
        window.kernelWidth,
        window.padTop,
        window.padLeft,
        shader.hasBias ? 'bias' : 'nobias',
        tile,
      ].join('_'),
      userCode: () => convProjectionWgsl(shader),
    });
  }
}
