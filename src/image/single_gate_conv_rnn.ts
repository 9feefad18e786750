/**
 * The image variant's op: validates a descriptor whose weights are OHWI convolution kernels, resolves
 * its defaults and calls the `SingleGateConvRNN` kernel of the active backend, or the portable path.
 * Stacks and sequence lengths run through the sequence engine (src/sequence) with `convVariant`.
 */
import {
  engine,
  getBackend,
  getKernel,
  op,
  Tensor,
  Tensor1D,
  Tensor2D,
  Tensor4D,
  Tensor5D,
  TensorLike,
} from '@tensorflow/tfjs-core';

import {checkKnownKeys, keysOf} from '../checks/config_keys.js';
import type {SingleGateConvRNNDescriptor} from '../contracts/image_descriptor.js';
import {
  checkConvDescriptor,
  checkKernelReach,
  checkKernelShape,
  INPUT_KERNEL_DIMS,
  RECURRENT_KERNEL_DIMS,
} from '../checks/image_descriptor_attrs.js';
import {SingleGateConvRNN, SingleGateConvRNNAttrs} from '../contracts/image_kernel.js';
import {maskTensor} from '../checks/mask.js';
import {gradientFreeRun} from '../portable/inference.js';
import {PortableConvInputs, portableSingleGateConvRNN} from '../portable/conv_single_gate_rnn.js';
import type {SequenceLengths} from '../sequence/lengths.js';
import {sequenceRNN} from '../sequence/stack.js';
import type {RNNVariant} from '../sequence/variant.js';
import {checkBoolean, checkedFloatTensor, formatShape, toFloatTensor} from '../checks/arguments.js';

/** A recurrent input state of the image variant: null or absent means zeros. */
export type ConvStateLike = Tensor4D | TensorLike | null | undefined;

export interface SingleGateConvRNNOptions {
  /** h_{-1}, `[batch, height, width, outputFeatureChannels]`. Absent or null: zeros. */
  initialState?: Tensor4D | TensorLike | null;
  /**
   * `[batch, time]`, bool or numbers: where 0/false, step t of sequence n is skipped: its whole image's
   * state carries over unchanged and output[n, t] repeats it. Absent: every step counts.
   */
  mask?: Tensor2D | TensorLike | null;
  /** Also return the state after every step, as `intermediateStates`. Default false. */
  storeAllIntermediateStates?: boolean;
  /**
   * `[batch]` int32 or numbers: row n consumes x_0 .. x_{L_n - 1} only, as for `singleGateRNN`: outputs
   * past a row's end are zeros, its final state is the state after its own last input.
   */
  sequenceLengths?: SequenceLengths | null;
}

/** The options of `singleGateConvRNN` with an array of descriptors (a stack). */
export interface SingleGateConvRNNStackOptions extends Omit<SingleGateConvRNNOptions, 'initialState'> {
  /** One entry per layer, layer 0 first (`[batch, height, width, units]`, null: zeros), or one tensor for a one-layer stack. */
  initialState?: Tensor4D | readonly ConvStateLike[] | null;
}

/** A type rather than an interface, so a result can be returned from `tf.tidy`. */
export type SingleGateConvRNNResult = {
  /** `[batch, time, height, width, outputFeatureChannels]`: output[:, t] is the state after consuming x_t. */
  output: Tensor5D;
  /** `[batch, height, width, outputFeatureChannels]`: the state after the last consumed step. */
  finalState: Tensor4D;
  /** With `storeAllIntermediateStates`: the state after every step (the same values as `output`). */
  intermediateStates?: Tensor5D;
};

/** The result of `singleGateConvRNN` with an array of descriptors (a stack). */
export type SingleGateConvRNNStackResult = {
  /** `[batch, time, height, width, units]`: the last layer's output. */
  output: Tensor5D;
  /** The last layer's final state: the same tensor as the last entry of `finalStates`. */
  finalState: Tensor4D;
  /** Each layer's final state, layer 0 first. */
  finalStates: Tensor4D[];
  /** With `storeAllIntermediateStates`: each layer's state after every step, layer 0 first. */
  intermediateStates?: Tensor5D[];
};

const OPTIONS_KEYS = keysOf<SingleGateConvRNNOptions>()({
  initialState: true,
  mask: true,
  storeAllIntermediateStates: true,
  sequenceLengths: true,
});

const X_DIMS = '[batch, time, height, width, inputFeatureChannels]';

/** x checked to be rank 5, as a float32 tensor. */
function asImageSequence(x: Tensor): Tensor5D {
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

/** A checked call: the kernel's inputs and attributes, and whether every step's state is wanted. */
interface CheckedConvCall {
  inputs: PortableConvInputs;
  attrs: SingleGateConvRNNAttrs;
  storeAll: boolean;
}

/** Checks one layer's arguments and normalizes them into the kernel's inputs and attributes. */
function checkConvCall(
  x: Tensor5D | TensorLike,
  descriptor: SingleGateConvRNNDescriptor,
  options: SingleGateConvRNNOptions,
): CheckedConvCall {
  const attrs = checkConvDescriptor(descriptor);
  checkKnownKeys(options, OPTIONS_KEYS, 'options');
  const storeAll = checkBoolean(
    options.storeAllIntermediateStates,
    'options.storeAllIntermediateStates',
    false,
  );
  const {inputFeatureChannels: inputChannels, outputFeatureChannels: out} = attrs;
  const unitTransform = attrs.useLayerInputUnitTransformMode;
  const inputSource = descriptor.inputWeights ?? null;
  const recurrentSource = descriptor.recurrentWeights ?? null;

  const $x = asImageSequence(toFloatTensor(x, 'x'));
  const [batch, time, height, width, channels] = $x.shape;
  if (channels !== inputChannels) {
    throw new Error(
      `x must be ${X_DIMS} with inputFeatureChannels = ${inputChannels}, got ${formatShape($x.shape)}`,
    );
  }
  const empty = ['batch', 'time', 'height', 'width'].find((_, axis) => $x.shape[axis] === 0);
  if (empty != null) {
    throw new Error(
      `x must have at least one sequence, one time step and one pixel, got ${formatShape($x.shape)} ` +
        `(${empty} is empty)`,
    );
  }
  const image: [number, number] = [height, width];

  const inputs: PortableConvInputs = {x: $x};
  if (inputSource?.weights != null) {
    const argName = 'descriptor.inputWeights.weights';
    // In unit-transform mode MPS ignores W; its shape is still checked, its size against the image not.
    const w = checkedKernel(inputSource.weights, argName, INPUT_KERNEL_DIMS, [out, inputChannels], null);
    if (!unitTransform) {
      checkKernelReach(w.shape, argName, image);
      inputs.inputWeights = w;
    }
  }
  if (recurrentSource?.weights != null) {
    inputs.recurrentWeights = checkedKernel(
      recurrentSource.weights,
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
  if (options.initialState != null) {
    inputs.initialState = checkedFloatTensor<Tensor4D>(
      options.initialState,
      'options.initialState',
      [batch, height, width, out],
      '[batch, height, width, outputFeatureChannels]',
    );
  }
  if (options.mask != null) inputs.mask = maskTensor(options.mask, batch, time);
  return {inputs, attrs, storeAll};
}

function result([output, finalState]: [Tensor5D, Tensor4D], storeAll: boolean): SingleGateConvRNNResult {
  return storeAll ? {output, finalState, intermediateStates: output.clone()} : {output, finalState};
}

/**
 * One descriptor over a whole [batch, time, height, width, channels] sequence: one kernel call, or, on
 * a backend without a `SingleGateConvRNN` kernel, the same computed with stock tfjs ops.
 */
export function singleLayerConvRNN(
  x: Tensor5D | TensorLike,
  descriptor: SingleGateConvRNNDescriptor,
  options: SingleGateConvRNNOptions = {},
): SingleGateConvRNNResult {
  const {inputs, attrs, storeAll} = checkConvCall(x, descriptor, options);
  const outputs =
    getKernel(SingleGateConvRNN, getBackend()) != null
      ? engine().runKernel<[Tensor5D, Tensor4D]>(SingleGateConvRNN, inputs, attrs)
      : (gradientFreeRun(portableSingleGateConvRNN, inputs, attrs, SingleGateConvRNN) as [
          Tensor5D,
          Tensor4D,
        ]);
  return result(outputs, storeAll);
}

/** The image variant as stacks, sequence lengths and bidirectional encoding see it. */
export const convVariant: RNNVariant<SingleGateConvRNNDescriptor> = {
  descriptorName: 'SingleGateConvRNNDescriptor',
  sequenceRank: 5,
  inputDims: () => X_DIMS,
  asSequence: (x) => ({sequence: asImageSequence(x), step: false}),
  checkDescriptor: checkConvDescriptor,
  stateShape: (sequence, units) => [sequence.shape[0], sequence.shape[2]!, sequence.shape[3]!, units],
  stateDims: (units) => `[batch, height, width, ${units}]`,
  single: (sequence, descriptor, options) =>
    singleLayerConvRNN(sequence as Tensor5D, descriptor, options as SingleGateConvRNNOptions),
};

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
  return singleLayerConvRNN(
    $x,
    descriptors as SingleGateConvRNNDescriptor,
    options as SingleGateConvRNNOptions,
  );
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

function singleGateConvRNNTrainable_(
  x: Tensor5D | TensorLike,
  descriptor: SingleGateConvRNNDescriptor,
  options: SingleGateConvRNNOptions = {},
): SingleGateConvRNNResult {
  const {inputs, attrs, storeAll} = checkConvCall(x, descriptor, options);
  return result(portableSingleGateConvRNN(inputs, attrs), storeAll);
}

/**
 * One layer through the portable path on every backend, with gradients: what the layer runs for a
 * training call. Not exported from the package: the op itself stays inference-only.
 */
export const singleGateConvRNNTrainable = op({singleGateConvRNNTrainable_});
