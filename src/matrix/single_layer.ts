/**
 * One matrix layer over a whole sequence, from a checked call: the `SingleGateRNN` kernel of the
 * active backend, or the portable path where it has none (and, with gradients, for a training call).
 */
import {engine, getBackend, getKernel, Tensor2D, Tensor3D} from '@tensorflow/tfjs-core';

import {SingleGateRNN} from '../contracts/matrix_kernel.js';
import {portableInference} from '../portable/inference.js';
import {portableSingleGateRNN} from '../portable/single_gate_rnn.js';
import type {CheckedCall, LayerCall} from './checked_call.js';
import type {SingleGateRNNResult} from './options.js';

/** [output, finalState] of one kernel call, or, on a backend without a kernel of ours, the same with stock ops. */
export function runLayer({inputs, attrs}: LayerCall): [Tensor3D, Tensor2D] {
  return getKernel(SingleGateRNN, getBackend()) != null
    ? engine().runKernel<[Tensor3D, Tensor2D]>(SingleGateRNN, inputs, attrs)
    : portableInference(inputs, attrs);
}

/** [output, finalState] through the portable path on every backend: stock ops, with gradients. */
export function runTrainableLayer({inputs, attrs}: LayerCall): [Tensor3D, Tensor2D] {
  return portableSingleGateRNN(inputs, attrs);
}

/** The one-layer result of a checked call and its outputs. */
export function layerResult(
  [output, finalState]: [Tensor3D, Tensor2D],
  {storeAll}: CheckedCall,
): SingleGateRNNResult {
  return storeAll ? {output, finalState, intermediateStates: output.clone()} : {output, finalState};
}
