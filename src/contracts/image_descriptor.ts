/**
 * The image variant's descriptor: MPS' `MPSRNNSingleGateDescriptor` driving an
 * `MPSRNNImageInferenceLayer`. The fields are the matrix descriptor's; the weights sources hold OHWI
 * convolution kernels, and `padding` says where an even kernel's extra row and column go.
 */
import type {Tensor1D, Tensor4D, TensorLike} from '@tensorflow/tfjs-core';

import type {ConvRNNPadding} from './image_kernel.js';
import type {NeuronDescriptor, SingleGateRNNDescriptor} from './descriptor.js';

export type {ConvRNNPadding} from './image_kernel.js';

/** A convolution kernel in OHWI layout, or its data. */
export type ConvWeightsLike = Tensor4D | TensorLike;

/**
 * A convolution weights source (MPS' convolution data source): the kernel in OHWI layout, optional
 * float32 bias terms and the neuron. The kernel's height and width are its shape's, and may differ
 * between W and U (1x1 included). On the recurrent weights only `weights` is read, as for the matrix op.
 */
export interface ConvWeightsSource {
  /**
   * `[outputChannels, kernelHeight, kernelWidth, inputChannels]`. May be null on the input weights in
   * unit-transform mode, where W is never read.
   */
  weights: ConvWeightsLike | null;
  /** `[outputChannels]` float32, one scalar per channel; absent or null means no bias. */
  biasTerms?: Tensor1D | TensorLike | null;
  /** The neuron; absent means `{type: 'none'}`. */
  neuron?: NeuronDescriptor;
}

/** `MPSRNNSingleGateDescriptor` for images: h_t = g(conv(x_t, W) + conv(h_{t-1}, U) + b). */
export interface SingleGateConvRNNDescriptor extends Omit<
  SingleGateRNNDescriptor,
  'inputWeights' | 'recurrentWeights'
> {
  /**
   * W, b and the neuron g; W is `[outputFeatureChannels, kernelHeight, kernelWidth,
   * inputFeatureChannels]`. null or absent: W = 0, b = 0, g = identity.
   */
  inputWeights?: ConvWeightsSource | null;
  /** U, `[outputFeatureChannels, kernelHeight, kernelWidth, outputFeatureChannels]`. null or absent: U = 0. */
  recurrentWeights?: ConvWeightsSource | null;
  /**
   * Where an even kernel's extra padding row and column go (odd kernels are centred either way):
   * 'mps' (default) at the top and left, as MPS; 'same' at the bottom and right, as tfjs' and Keras'
   * 'same'. Stride 1 and zero padding that keeps the image's size, always.
   */
  padding?: ConvRNNPadding;
}
