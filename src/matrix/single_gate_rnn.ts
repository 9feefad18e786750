/**
 * The op function: validates a descriptor, resolves its defaults and calls the `SingleGateRNN` kernel
 * of the active backend.
 */
import {op, Tensor2D, Tensor3D, TensorLike} from '@tensorflow/tfjs-core';

import {toFloatTensor} from '../checks/arguments.js';
import {checkKnownKeys} from '../checks/config_keys.js';
import type {SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import {sequenceRNN} from '../sequence/stack.js';
import {
  AnySingleGateRNNResult,
  OPTIONS_KEYS,
  SingleGateRNNOptions,
  SingleGateRNNResult,
  SingleGateRNNStackOptions,
  SingleGateRNNStackResult,
  SingleGateRNNStackStepResult,
  SingleGateRNNStepResult,
} from './options.js';
import {checkCall} from './checked_call.js';
import {layerResult, runLayer} from './single_layer.js';
import {matrixVariant} from './variant.js';

function singleGateRNN_(
  x: Tensor3D | Tensor2D | TensorLike,
  descriptors: SingleGateRNNDescriptor | readonly SingleGateRNNDescriptor[],
  options: SingleGateRNNOptions | SingleGateRNNStackOptions = {},
): AnySingleGateRNNResult {
  checkKnownKeys(options, OPTIONS_KEYS, 'options');
  const $x = toFloatTensor(x, 'x');
  if (Array.isArray(descriptors) || $x.rank !== 3 || options.sequenceLengths != null) {
    return sequenceRNN(
      $x,
      descriptors,
      options as SingleGateRNNStackOptions,
      matrixVariant,
    ) as AnySingleGateRNNResult;
  }
  const call = checkCall(
    $x as Tensor3D,
    descriptors as SingleGateRNNDescriptor,
    options as SingleGateRNNOptions,
  );
  return layerResult(runLayer(call), call);
}

/**
 * `singleGateRNN`'s forms: one layer or a stack, over a sequence or one step. The sequence forms come
 * first, so that a tensor of unknown rank keeps the result type it had before single steps existed.
 */
export interface SingleGateRNNOp {
  (
    x: Tensor3D | TensorLike,
    descriptor: SingleGateRNNDescriptor,
    options?: SingleGateRNNOptions,
  ): SingleGateRNNResult;
  (
    x: Tensor3D | TensorLike,
    descriptors: readonly SingleGateRNNDescriptor[],
    options?: SingleGateRNNStackOptions,
  ): SingleGateRNNStackResult;
  (x: Tensor2D, descriptor: SingleGateRNNDescriptor, options?: SingleGateRNNOptions): SingleGateRNNStepResult;
  (
    x: Tensor2D,
    descriptors: readonly SingleGateRNNDescriptor[],
    options?: SingleGateRNNStackOptions,
  ): SingleGateRNNStackStepResult;
}

/**
 * Encodes a batch of sequences with one single-gate RNN layer (`MPSRNNSingleGateDescriptor`): for every
 * step t, h_t = g(W x_t + U h_{t-1} + b).
 *
 * @param x [batch, time, inputFeatureChannels] float32, or [batch, inputFeatureChannels] for one step
 *     (result `{output, finalState}`, both [batch, units]; pass `finalState` back to continue).
 * @param descriptors The layer: channel counts, weights sources, mode flags and direction; or an array
 *     of them, a stack (layer 0 first, each layer in its own direction), whose result adds
 *     `finalStates` and gives `intermediateStates` per layer.
 * @param options Initial state (per layer for a stack), mask, sequence lengths and whether to return
 *     every step's state.
 *
 * Inference only: the op has no gradient. On a backend without a `SingleGateRNN` kernel it computes the
 * same with stock tfjs ops (the portable path). Wrapped with tfjs' `op()`, so it shows in traces as
 * `singleGateRNN__op`, and the tensors it makes along the way are disposed, also when it throws.
 *
 * @function
 * @example
 * const {output, finalState} = singleGateRNN(tf.randomNormal([2, 10, 3]), {
 *   inputFeatureChannels: 3,
 *   outputFeatureChannels: 4,
 *   inputWeights: {weights: tf.randomNormal([4, 3]), neuron: {type: 'tanh'}},
 *   recurrentWeights: {weights: tf.randomNormal([4, 4])},
 * }); // output [2, 10, 4], finalState [2, 4]
 */
export const singleGateRNN = op({singleGateRNN_}) as SingleGateRNNOp;
