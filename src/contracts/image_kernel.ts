/**
 * The contract of the image variant (MPS' `MPSRNNImageInferenceLayer`): h_t = g(conv(x_t, W) +
 * conv(h_{t-1}, U) + b), shared by its op, every backend's kernel and the tests. As for the matrix op
 * (matrix_kernel.ts), the op resolves the descriptor, so kernels never see defaults, nulls or tensor-likes.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {SingleGateRNNAttrs} from './matrix_kernel.js';

/** @internal Kernel plumbing, not part of the documented API. */
export const SingleGateConvRNN = 'SingleGateConvRNN';

/**
 * Kernel inputs, NHWC per step as tfjs. Absent entries stand for MPS' null sources, as for the matrix op:
 * `inputWeights` absent: W = 0 (also absent in unit-transform mode); `biasTerms` absent: b = 0;
 * `recurrentWeights` absent: U = 0; `initialState` absent: h_{-1} = 0; `mask` absent: every step counts.
 * @internal Kernel plumbing, not part of the documented API.
 */
export interface SingleGateConvRNNInputs {
  /** [batch, time, height, width, inputFeatureChannels] float32. */
  x: TensorInfo;
  /** W in MPS' OHWI layout: [outputFeatureChannels, kernelHeight, kernelWidth, inputFeatureChannels]. */
  inputWeights?: TensorInfo;
  /** U, OHWI and square in channels: [outputFeatureChannels, kernelHeight', kernelWidth', outputFeatureChannels]. */
  recurrentWeights?: TensorInfo;
  /** b, [outputFeatureChannels] float32, one scalar per channel; never rounded to float16. */
  biasTerms?: TensorInfo;
  /** h_{-1}, [batch, height, width, outputFeatureChannels] float32. */
  initialState?: TensorInfo;
  /** [batch, time] bool: false skips step t of row n (the whole image's state carries over). */
  mask?: TensorInfo;
}

/**
 * Where a convolution's zero padding goes. Stride 1, no dilation, the size kept: a kernel of size k pads
 * k - 1 rows (columns) in all. Odd kernels are centred. For even kernels:
 * - `'mps'` (default, as MPS): the extra row and column go at the top and left:
 *   padTop = ceil((k - 1) / 2), so output (y, x) reads rows y - padTop .. y - padTop + k - 1;
 * - `'same'` (as tfjs' and Keras' 'same'): at the bottom and right: padTop = floor((k - 1) / 2).
 * The same rule gives padLeft from the kernel width.
 */
export type ConvRNNPadding = 'mps' | 'same';

/**
 * The matrix op's attributes (every descriptor field resolved) plus the padding rule.
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export interface SingleGateConvRNNAttrs extends SingleGateRNNAttrs {
  padding: ConvRNNPadding;
}

/**
 * The kernel returns [output, finalState]:
 * - output: [batch, time, height, width, outputFeatureChannels], output[:, t] the state after x_t;
 * - finalState: [batch, height, width, outputFeatureChannels], the state after the last consumed step
 *   (x_{T-1} going forward, x_0 going backward).
 */
export type SingleGateConvRNNOutputs = [TensorInfo, TensorInfo];

/**
 * padTop (or padLeft) for a kernel of `size` rows (columns) under `padding`: see ConvRNNPadding.
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export function leadingPad(size: number, padding: ConvRNNPadding): number {
  return padding === 'mps' ? Math.ceil((size - 1) / 2) : Math.floor((size - 1) / 2);
}
