/**
 * One matrix layer over a whole sequence: the `SingleGateRNN` kernel of the active backend, or the
 * portable path where it has none (and, with gradients, for a training call).
 */
import {engine, getBackend, getKernel, op, Tensor2D, Tensor3D, TensorLike} from '@tensorflow/tfjs-core';

import type {SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import {SingleGateRNN} from '../contracts/matrix_kernel.js';
import {portableInference} from '../portable/inference.js';
import {portableSingleGateRNN} from '../portable/single_gate_rnn.js';
import {checkCall} from './checked_call.js';
import type {SingleGateRNNOptions, SingleGateRNNResult} from './options.js';

function result([output, finalState]: [Tensor3D, Tensor2D], storeAll: boolean): SingleGateRNNResult {
  return storeAll ? {output, finalState, intermediateStates: output.clone()} : {output, finalState};
}

/**
 * One descriptor over a whole [batch, time, channels] sequence: one kernel call, or, on a backend
 * without a kernel of ours, the same computed with stock tfjs ops (nothing to configure).
 */
export function singleLayerRNN(
  x: Tensor3D | TensorLike,
  descriptor: SingleGateRNNDescriptor,
  options: SingleGateRNNOptions = {},
): SingleGateRNNResult {
  const {inputs, attrs, storeAll} = checkCall(x, descriptor, options);
  const outputs =
    getKernel(SingleGateRNN, getBackend()) != null
      ? engine().runKernel<[Tensor3D, Tensor2D]>(SingleGateRNN, inputs, attrs)
      : portableInference(inputs, attrs);
  return result(outputs, storeAll);
}

function singleGateRNNTrainable_(
  x: Tensor3D | TensorLike,
  descriptor: SingleGateRNNDescriptor,
  options: SingleGateRNNOptions = {},
): SingleGateRNNResult {
  const {inputs, attrs, storeAll} = checkCall(x, descriptor, options);
  return result(portableSingleGateRNN(inputs, attrs), storeAll);
}

/**
 * One layer through the portable path on every backend, with gradients: what the layers run for a
 * training call. Not exported from the package: the op itself stays inference-only.
 */
export const singleGateRNNTrainable = op({singleGateRNNTrainable_});
