/**
 * Where a call of one image layer enters: its arguments checked and normalized into the kernel's
 * inputs and attributes. Below it (`convLayerCall`, the stacks' layers) everything takes checked values.
 */
import {Tensor, Tensor1D, Tensor2D, Tensor4D, Tensor5D, TensorLike} from '@tensorflow/tfjs-core';

import {checkBoolean, checkedFloatTensor, formatShape, toFloatTensor} from '../checks/arguments.js';
import {
  checkConvDescriptor,
  checkKernelReach,
  checkKernelShape,
  INPUT_KERNEL_DIMS,
  RECURRENT_KERNEL_DIMS,
} from '../checks/image_descriptor_attrs.js';
import {maskTensor} from '../checks/mask.js';
import type {SingleGateConvRNNDescriptor} from '../contracts/image_descriptor.js';
import type {SingleGateConvRNNAttrs} from '../contracts/image_kernel.js';
import type {PortableConvInputs} from '../portable/conv_single_gate_rnn.js';
import type {SingleGateConvRNNOptions} from './options.js';

export const X_DIMS = '[batch, time, height, width, inputFeatureChannels]';

/** x checked to be rank 5 (it is a float tensor already). */
export function asImageSequence(x: Tensor): Tensor5D {
  if (x.rank !== 5) {
    throw new Error(`x must be rank 5 ${X_DIMS}, got rank ${x.rank} with shape ${formatShape(x.shape)}`);
  }
  return x as Tensor5D;
}

/** An OHWI kernel checked against its channels (and, where it is read, the image's size). */
function checkedKernel(
  value: Tensor4D | TensorLike,
  argName: string,
  dims: string,
  channels: [number, number],
  imageShape: [number, number] | null,
): Tensor4D {
  const kernel = toFloatTensor<Tensor4D>(value, argName);
  checkKernelShape(kernel.shape, argName, dims, ...channels);
  if (imageShape != null) checkKernelReach(kernel.shape, argName, imageShape);
  return kernel;
}

/** A checked layer: the kernel's inputs and attributes. */
export interface ConvLayerCall {
  inputs: PortableConvInputs;
  attrs: SingleGateConvRNNAttrs;
}

/** A checked call of one layer: its kernel call and whether every step's state is wanted. */
export interface CheckedConvCall extends ConvLayerCall {
  storeAll: boolean;
}

/** Throws where x has no sequence, step or pixel: a kernel has nothing to run over. */
export function checkImagesNotEmpty(x: Tensor): void {
  const empty = ['batch', 'time', 'height', 'width'].find((_, axis) => x.shape[axis] === 0);
  if (empty != null) {
    throw new Error(
      `x must have at least one sequence, one time step and one pixel, got ${formatShape(x.shape)} ` +
        `(${empty} is empty)`,
    );
  }
}

/**
 * Checks the arguments of a one-layer call where it enters (the keys of `options` are the entry's
 * to check) and normalizes them into the kernel's inputs and attributes.
 */
export function checkConvCall(
  x: Tensor5D,
  descriptor: SingleGateConvRNNDescriptor,
  options: SingleGateConvRNNOptions,
): CheckedConvCall {
  const attrs = checkConvDescriptor(descriptor);
  const storeAll = checkBoolean(
    options.storeAllIntermediateStates,
    'options.storeAllIntermediateStates',
    false,
  );
  const [batch, time, height, width, channels] = x.shape;
  if (channels !== attrs.inputFeatureChannels) {
    throw new Error(
      `x must be ${X_DIMS} with inputFeatureChannels = ${attrs.inputFeatureChannels}, got ${formatShape(x.shape)}`,
    );
  }
  checkImagesNotEmpty(x);
  const initialState =
    options.initialState == null
      ? null
      : checkedFloatTensor<Tensor4D>(
          options.initialState,
          'options.initialState',
          [batch, height, width, attrs.outputFeatureChannels],
          '[batch, height, width, outputFeatureChannels]',
        );
  const mask = options.mask == null ? null : maskTensor(options.mask, batch, time);
  return {...convLayerCall(x, descriptor, attrs, initialState, mask), storeAll};
}

/**
 * One layer's kernel call from checked pieces (x, the descriptor's attributes, the initial state and
 * the mask, each checked where the call entered): the kernels and bias, which only the layer reads,
 * are checked here.
 */
export function convLayerCall(
  x: Tensor5D,
  descriptor: SingleGateConvRNNDescriptor,
  attrs: SingleGateConvRNNAttrs,
  initialState: Tensor | null,
  mask: Tensor2D | null,
): ConvLayerCall {
  const {inputFeatureChannels: inputChannels, outputFeatureChannels: out} = attrs;
  const inputSource = descriptor.inputWeights ?? null;
  const image: [number, number] = [x.shape[2], x.shape[3]];
  const inputs: PortableConvInputs = {x};
  if (inputSource?.weights != null) {
    const argName = 'descriptor.inputWeights.weights';
    // In unit-transform mode MPS ignores W; its shape is still checked, its size against the image not.
    const w = checkedKernel(inputSource.weights, argName, INPUT_KERNEL_DIMS, [out, inputChannels], null);
    if (!attrs.useLayerInputUnitTransformMode) {
      checkKernelReach(w.shape, argName, image);
      inputs.inputWeights = w;
    }
  }
  const recurrent = descriptor.recurrentWeights?.weights;
  if (recurrent != null) {
    inputs.recurrentWeights = checkedKernel(
      recurrent,
      'descriptor.recurrentWeights.weights',
      RECURRENT_KERNEL_DIMS,
      [out, out],
      image,
    );
  }
  if (inputSource?.biasTerms != null) {
    inputs.biasTerms = checkedFloatTensor<Tensor1D>(
      inputSource.biasTerms,
      'descriptor.inputWeights.biasTerms',
      [out],
      '[outputFeatureChannels]',
    );
  }
  if (initialState != null) inputs.initialState = initialState as Tensor4D;
  if (mask != null) inputs.mask = mask;
  return {inputs, attrs};
}
