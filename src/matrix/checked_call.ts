/**
 * Where a call of one matrix layer enters: its arguments checked and normalized into the kernel's
 * inputs and attributes.
 */
import {Tensor, Tensor2D, Tensor3D, TensorLike} from '@tensorflow/tfjs-core';

import {checkBoolean, checkedFloatTensor, formatShape, toFloatTensor} from '../checks/arguments.js';
import {checkKnownKeys} from '../checks/config_keys.js';
import {checkDescriptor} from '../checks/descriptor_attrs.js';
import {maskTensor} from '../checks/mask.js';
import type {SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import type {SingleGateRNNAttrs, SingleGateRNNInputs} from '../contracts/matrix_kernel.js';
import type {PortableInputs} from '../portable/single_gate_rnn.js';
import {OPTIONS_KEYS, SingleGateRNNOptions} from './options.js';

/** A checked call: the kernel's inputs and attributes, and whether every step's state is wanted. */
export interface CheckedCall {
  inputs: PortableInputs;
  attrs: SingleGateRNNAttrs;
  storeAll: boolean;
}

/** Checks one layer's arguments and normalizes them into the kernel's inputs and attributes. */
export function checkCall(
  x: Tensor3D | TensorLike,
  descriptor: SingleGateRNNDescriptor,
  options: SingleGateRNNOptions,
): CheckedCall {
  const attrs = checkDescriptor(descriptor);
  checkKnownKeys(options, OPTIONS_KEYS, 'options');
  const storeAll = checkBoolean(
    options.storeAllIntermediateStates,
    'options.storeAllIntermediateStates',
    false,
  );
  const {inputFeatureChannels: inputChannels, outputFeatureChannels: outputChannels} = attrs;
  const unitTransform = attrs.useLayerInputUnitTransformMode;
  const inputSource = descriptor.inputWeights ?? null;
  const recurrentSource = descriptor.recurrentWeights ?? null;

  const $x = toFloatTensor<Tensor3D>(x, 'x');
  const [batch, time, channels] = $x.shape;
  if (channels !== inputChannels) {
    throw new Error(
      `x must be [batch, time, inputFeatureChannels] with inputFeatureChannels = ${inputChannels}, ` +
        `got ${formatShape($x.shape)}`,
    );
  }
  if (batch === 0 || time === 0) {
    throw new Error(
      `x must have at least one sequence and one time step, got ${formatShape($x.shape)} ` +
        `(${batch === 0 ? 'batch' : 'time'} is empty)`,
    );
  }

  const inputs: PortableInputs = {x: $x};
  if (inputSource?.weights != null) {
    const w = checkedFloatTensor<Tensor2D>(
      inputSource.weights,
      'descriptor.inputWeights.weights',
      [outputChannels, inputChannels],
      '[outputFeatureChannels, inputFeatureChannels]',
    );
    // In unit-transform mode MPS ignores W; it is still checked above so a wrong shape is reported.
    if (!unitTransform) inputs.inputWeights = w;
  }
  // The other float inputs, each absent when its value is (checkDescriptor made sure a recurrent
  // source has weights): [input, value, argument path, expected shape, what the shape means].
  const optional: Array<
    [keyof SingleGateRNNInputs, Tensor | TensorLike | null | undefined, string, number[], string]
  > = [
    [
      'biasTerms',
      inputSource?.biasTerms,
      'descriptor.inputWeights.biasTerms',
      [outputChannels],
      '[outputFeatureChannels]',
    ],
    [
      'recurrentWeights',
      recurrentSource?.weights,
      'descriptor.recurrentWeights.weights',
      [outputChannels, outputChannels],
      'square [outputFeatureChannels, outputFeatureChannels]',
    ],
    [
      'initialState',
      options.initialState,
      'options.initialState',
      [batch, outputChannels],
      '[batch, outputFeatureChannels]',
    ],
  ];
  for (const [name, value, argName, shape, what] of optional) {
    if (value != null) {
      (inputs as Record<string, Tensor>)[name] = checkedFloatTensor(value, argName, shape, what);
    }
  }

  if (options.mask != null) inputs.mask = maskTensor(options.mask, batch, time);

  return {inputs, attrs, storeAll};
}
