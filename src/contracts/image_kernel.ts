/**
 * The contract of the image variant (MPS' `MPSRNNImageInferenceLayer`): h_t = g(conv(x_t, W) +
 * conv(h_{t-1}, U) + b), shared by its op, every backend's kernel and the tests. As for the matrix op
 * (matrix_kernel.ts), the op resolves the descriptor, so kernels never see defaults, nulls or tensor-likes.
 */

import type {SingleGateRNNAttrs, SingleGateRNNInputs} from './matrix_kernel.js';

/**
 * The kernel name. The kernel returns [output, finalState]:
 * - output: [batch, time, height, width, outputFeatureChannels], output[:, t] the state after x_t;
 * - finalState: [batch, height, width, outputFeatureChannels], the state after the last consumed step
 *   (x_{T-1} going forward, x_0 going backward).
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export const SingleGateConvRNN = 'SingleGateConvRNN';

/**
 * Kernel inputs: the matrix kernel's names, each absent where it stands for MPS' null source as there,
 * with images (NHWC per step, as tfjs) for vectors:
 * - `x`: [batch, time, height, width, inputFeatureChannels] float32;
 * - `inputWeights`: W in MPS' OHWI layout, [outputFeatureChannels, kernelHeight, kernelWidth,
 *   inputFeatureChannels];
 * - `recurrentWeights`: U, OHWI and square in channels, [outputFeatureChannels, kernelHeight',
 *   kernelWidth', outputFeatureChannels];
 * - `biasTerms`: b, [outputFeatureChannels], one scalar per channel; never rounded to float16;
 * - `initialState`: h_{-1}, [batch, height, width, outputFeatureChannels];
 * - `mask`: [batch, time] bool, false skips step t of row n (the whole image's state carries over).
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export type SingleGateConvRNNInputs = SingleGateRNNInputs;

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
 * padTop (or padLeft) for a kernel of `size` rows (columns) under `padding`: see ConvRNNPadding.
 *
 * @internal Kernel plumbing, not part of the documented API.
 */
export function leadingPad(size: number, padding: ConvRNNPadding): number {
  return padding === 'mps' ? Math.ceil((size - 1) / 2) : Math.floor((size - 1) / 2);
}
