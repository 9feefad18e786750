/**
 * One image layer over a whole sequence, from a checked call: the `SingleGateConvRNN` kernel of the
 * active backend, or the portable path where it has none (and, with gradients, for a training call).
 */
import {engine, getBackend, getKernel, op, Tensor4D, Tensor5D, TensorLike} from '@tensorflow/tfjs-core';

import {toFloatTensor} from '../checks/arguments.js';
import {checkKnownKeys} from '../checks/config_keys.js';
import type {SingleGateConvRNNDescriptor} from '../contracts/image_descriptor.js';
import {SingleGateConvRNN} from '../contracts/image_kernel.js';
import {gradientFreeRun} from '../portable/inference.js';
import {portableSingleGateConvRNN} from '../portable/conv_single_gate_rnn.js';
import {asImageSequence, CheckedConvCall, checkConvCall, ConvLayerCall} from './checked_call.js';
import {OPTIONS_KEYS, SingleGateConvRNNOptions, SingleGateConvRNNResult} from './options.js';

/** [output, finalState] of one kernel call, or, on a backend without the kernel, the same with stock ops. */
export function runConvLayer({inputs, attrs}: ConvLayerCall): [Tensor5D, Tensor4D] {
  return getKernel(SingleGateConvRNN, getBackend()) != null
    ? engine().runKernel<[Tensor5D, Tensor4D]>(SingleGateConvRNN, inputs, attrs)
    : (gradientFreeRun(portableSingleGateConvRNN, inputs, attrs, SingleGateConvRNN) as [Tensor5D, Tensor4D]);
}

/** The one-layer result of a checked call and its outputs. */
export function convLayerResult(
  [output, finalState]: [Tensor5D, Tensor4D],
  {storeAll}: CheckedConvCall,
): SingleGateConvRNNResult {
  return storeAll ? {output, finalState, intermediateStates: output.clone()} : {output, finalState};
}

function singleGateConvRNNTrainable_(
  x: Tensor5D | TensorLike,
  descriptor: SingleGateConvRNNDescriptor,
  options: SingleGateConvRNNOptions = {},
): SingleGateConvRNNResult {
  checkKnownKeys(options, OPTIONS_KEYS, 'options');
  const call = checkConvCall(asImageSequence(toFloatTensor(x, 'x')), descriptor, options);
  return convLayerResult(portableSingleGateConvRNN(call.inputs, call.attrs), call);
}

/**
 * One layer through the portable path on every backend, with gradients: what the layer runs for a
 * training call. Not exported from the package: the op itself stays inference-only.
 */
export const singleGateConvRNNTrainable = op({singleGateConvRNNTrainable_});
