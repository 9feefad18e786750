/**
 * Where a call of one matrix layer enters: its arguments checked and normalized into the kernel's
 * inputs and attributes.
 */
import {Tensor, Tensor1D, Tensor2D, Tensor3D} from '@tensorflow/tfjs-core';

import {checkBoolean, checkedFloatTensor, formatShape} from '../checks/arguments.js';
import {checkDescriptor} from '../checks/descriptor_attrs.js';
import {maskTensor} from '../checks/mask.js';
import type {SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import type {SingleGateRNNAttrs} from '../contracts/matrix_kernel.js';
import type {PortableInputs} from '../portable/single_gate_rnn.js';
import type {SingleGateRNNOptions} from './options.js';

/** A checked layer: the kernel's inputs and attributes. */
export interface LayerCall {
  inputs: PortableInputs;
  attrs: SingleGateRNNAttrs;
}

/** A checked call of one layer: its kernel call and whether every step's state is wanted. */
export interface CheckedCall extends LayerCall {
  storeAll: boolean;
}

/** Throws where x has no sequence or no step: a kernel has nothing to run over. */
export function checkNotEmpty(x: Tensor): void {
  const [batch, time] = x.shape;
  if (batch === 0 || time === 0) {
    throw new Error(
      `x must have at least one sequence and one time step, got ${formatShape(x.shape)} ` +
        `(${batch === 0 ? 'batch' : 'time'} is empty)`,
    );
  }
}

/**
 * Checks the arguments of a one-layer call where it enters (the keys of `options` are the entry's
 * to check) and normalizes them into the kernel's inputs and attributes.
 */
export function checkCall(
  x: Tensor3D,
  descriptor: SingleGateRNNDescriptor,
  options: SingleGateRNNOptions,
): CheckedCall {
  const attrs = checkDescriptor(descriptor);
  const storeAll = checkBoolean(
    options.storeAllIntermediateStates,
    'options.storeAllIntermediateStates',
    false,
  );
  const [batch, time, channels] = x.shape;
  if (channels !== attrs.inputFeatureChannels) {
    throw new Error(
      `x must be [batch, time, inputFeatureChannels] with inputFeatureChannels = ` +
        `${attrs.inputFeatureChannels}, got ${formatShape(x.shape)}`,
    );
  }
  checkNotEmpty(x);
  const initialState =
    options.initialState == null
      ? null
      : checkedFloatTensor<Tensor2D>(
          options.initialState,
          'options.initialState',
          [batch, attrs.outputFeatureChannels],
          '[batch, outputFeatureChannels]',
        );
  const mask = options.mask == null ? null : maskTensor(options.mask, batch, time);
  return {...layerCall(x, descriptor, attrs, initialState, mask), storeAll};
}

/**
 * One layer's kernel call from checked pieces (x, the descriptor's attributes, the initial state and
 * the mask, each checked where the call entered): the weights, which only the layer reads, are
 * checked here.
 */
export function layerCall(
  x: Tensor3D,
  descriptor: SingleGateRNNDescriptor,
  attrs: SingleGateRNNAttrs,
  initialState: Tensor | null,
  mask: Tensor2D | null,
): LayerCall {
  const {inputFeatureChannels: inputChannels, outputFeatureChannels: outputChannels} = attrs;
  const inputSource = descriptor.inputWeights ?? null;
  const inputs: PortableInputs = {x};
  if (inputSource?.weights != null) {
    const w = checkedFloatTensor<Tensor2D>(
      inputSource.weights,
      'descriptor.inputWeights.weights',
      [outputChannels, inputChannels],
      '[outputFeatureChannels, inputFeatureChannels]',
    );
    // In unit-transform mode MPS ignores W; it is still checked above so a wrong shape is reported.
    if (!attrs.useLayerInputUnitTransformMode) inputs.inputWeights = w;
  }
  if (inputSource?.biasTerms != null) {
    inputs.biasTerms = checkedFloatTensor<Tensor1D>(
      inputSource.biasTerms,
      'descriptor.inputWeights.biasTerms',
      [outputChannels],
      '[outputFeatureChannels]',
    );
  }
  // checkDescriptor made sure a recurrent source has weights.
  const recurrent = descriptor.recurrentWeights?.weights;
  if (recurrent != null) {
    inputs.recurrentWeights = checkedFloatTensor<Tensor2D>(
      recurrent,
      'descriptor.recurrentWeights.weights',
      [outputChannels, outputChannels],
      'square [outputFeatureChannels, outputFeatureChannels]',
    );
  }
  if (initialState != null) inputs.initialState = initialState as Tensor2D;
  if (mask != null) inputs.mask = mask;
  return {inputs, attrs};
}
