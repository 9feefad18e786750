/**
 * The image variant's op: validates a descriptor whose weights are OHWI convolution kernels, resolves
 * its defaults and calls the `SingleGateConvRNN` kernel of the active backend, or the portable path.
 * Stacks and sequence lengths run through the sequence engine (src/sequence) with `convVariant`.
 */
import {op, Tensor5D, TensorLike} from '@tensorflow/tfjs-core';

import {toFloatTensor} from '../checks/arguments.js';
import {checkKnownKeys} from '../checks/config_keys.js';
import type {SingleGateConvRNNDescriptor} from '../contracts/image_descriptor.js';
import {sequenceRNN} from '../sequence/stack.js';
import {asImageSequence, checkConvCall} from './checked_call.js';
import {
  OPTIONS_KEYS,
  SingleGateConvRNNOptions,
  SingleGateConvRNNResult,
  SingleGateConvRNNStackOptions,
  SingleGateConvRNNStackResult,
} from './options.js';
import {convLayerResult, runConvLayer} from './single_layer.js';
import {convVariant} from './variant.js';

function singleGateConvRNN_(
  x: Tensor5D | TensorLike,
  descriptors: SingleGateConvRNNDescriptor | readonly SingleGateConvRNNDescriptor[],
  options: SingleGateConvRNNOptions | SingleGateConvRNNStackOptions = {},
): SingleGateConvRNNResult | SingleGateConvRNNStackResult {
  checkKnownKeys(options, OPTIONS_KEYS, 'options');
  const $x = asImageSequence(toFloatTensor(x, 'x'));
  if (Array.isArray(descriptors) || options.sequenceLengths != null) {
    return sequenceRNN($x, descriptors, options, convVariant) as unknown as
      SingleGateConvRNNResult | SingleGateConvRNNStackResult;
  }
  const call = checkConvCall(
    $x,
    descriptors as SingleGateConvRNNDescriptor,
    options as SingleGateConvRNNOptions,
  );
  return convLayerResult(runConvLayer(call), call);
}

/** `singleGateConvRNN`'s forms: one layer or a stack. */
export interface SingleGateConvRNNOp {
  (
    x: Tensor5D | TensorLike,
    descriptor: SingleGateConvRNNDescriptor,
    options?: SingleGateConvRNNOptions,
  ): SingleGateConvRNNResult;
  (
    x: Tensor5D | TensorLike,
    descriptors: readonly SingleGateConvRNNDescriptor[],
    options?: SingleGateConvRNNStackOptions,
  ): SingleGateConvRNNStackResult;
}

/**
 * Encodes a batch of image sequences with one convolutional single-gate RNN layer (MPS'
 * `MPSRNNImageInferenceLayer`): for every step t, h_t = g(conv(x_t, W) + conv(h_{t-1}, U) + b), with
 * stride 1 and zero padding that keeps every image's height and width.
 *
 * @param x `[batch, time, height, width, inputFeatureChannels]` float32 (NHWC per step, as tfjs).
 * @param descriptors The layer: channel counts, OHWI weights sources (the kernel sizes are the weights'
 *     own, and may differ between W and U), mode flags, direction and padding; or an array of them, a
 *     stack (layer 0 first), whose result adds `finalStates` and gives `intermediateStates` per layer.
 * @param options Initial state (per layer for a stack), mask, sequence lengths and whether to return
 *     every step's state.
 *
 * A kernel may be larger than the image, but not so large that some of its weights never meet it
 * (more than 2·height − 1 rows or 2·width − 1 columns): that is an error, most often a layout mistake
 * (`kerasConvKernelToOHWI` converts tfjs' and Keras' [kernelHeight, kernelWidth, in, out]).
 *
 * Inference only: the op has no gradient (the `SingleGateConvRNN2D` layer trains through stock ops).
 * On a backend without a `SingleGateConvRNN` kernel it computes the same with stock tfjs ops.
 *
 * @function
 * @example
 * const {output, finalState} = singleGateConvRNN(tf.randomNormal([1, 5, 8, 8, 2]), {
 *   inputFeatureChannels: 2,
 *   outputFeatureChannels: 4,
 *   inputWeights: {weights: tf.randomNormal([4, 3, 3, 2]), neuron: {type: 'tanh'}}, // OHWI
 *   recurrentWeights: {weights: tf.randomNormal([4, 3, 3, 4])},
 * }); // output [1, 5, 8, 8, 4], finalState [1, 8, 8, 4]
 */
export const singleGateConvRNN = op({singleGateConvRNN_}) as SingleGateConvRNNOp;
