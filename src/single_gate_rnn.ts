/**
 * The op function: validates a descriptor, resolves its defaults and calls the `SingleGateRNN` kernel
 * of the active backend.
 */
import {
  engine,
  getBackend,
  getKernel,
  op,
  Tensor,
  Tensor2D,
  Tensor3D,
  TensorLike,
} from '@tensorflow/tfjs-core';

import {runDirections} from './bidirectional_pairs.js';
import {checkKnownKeys, keysOf} from './config_keys.js';
import type {SingleGateRNNDescriptor} from './descriptor.js';
import {checkDescriptor} from './descriptor_attrs.js';
import {SingleGateRNN, SingleGateRNNAttrs, SingleGateRNNInputs} from './kernel_names.js';
import {maskTensor} from './mask.js';
import {portableInference} from './portable/inference.js';
import {PortableInputs, portableSingleGateRNN} from './portable/single_gate_rnn.js';
import type {SequenceLengths} from './sequence_lengths.js';
import {
  AnySingleGateRNNResult,
  asSequence,
  RNNVariant,
  sequenceRNN,
  SingleGateRNNStackOptions,
  SingleGateRNNStackResult,
  SingleGateRNNStackStepResult,
  SingleGateRNNStepResult,
} from './stack.js';
import {checkBoolean, checkedFloatTensor, formatShape, toFloatTensor} from './validate.js';

export interface SingleGateRNNOptions {
  /** h_{-1}, [batch, outputFeatureChannels]. Absent or null: zeros (MPS' null recurrent input state). */
  initialState?: Tensor2D | TensorLike | null;
  /**
   * `[batch, time]`, bool or numbers: where 0/false, step t of sequence n is skipped: its state carries
   * over unchanged and output[n, t] repeats it. This is Keras' masking, and MPS' batches of sequences
   * of different lengths (mask the steps after each sequence's end). Absent: every step counts.
   */
  mask?: Tensor2D | TensorLike | null;
  /** Also return the state after every step, as `intermediateStates`. Default false. */
  storeAllIntermediateStates?: boolean;
  /**
   * [batch] int32 or numbers: row n consumes x_0 .. x_{L_n - 1} only (0 <= L_n <= time, rows in any
   * order). Outputs past a row's end are zeros; its final state is the state after its own last input
   * (the initial state for L_n = 0); intermediate states past its end repeat its final state. A
   * backward layer starts row n at x_{L_n - 1}. Works together with `mask`. Numbers are checked at the
   * call; a tensor on a GPU backend stays on the device, and a bad value in it makes the first read of
   * a result fail with the message instead.
   */
  sequenceLengths?: SequenceLengths | null;
}

/** A type rather than an interface, so a result can be returned from `tf.tidy`. */
export type SingleGateRNNResult = {
  /** `[batch, time, outputFeatureChannels]`: output[:, t] is the state after consuming x_t. */
  output: Tensor3D;
  /** `[batch, outputFeatureChannels]`: the state after the last consumed step (x_0 when going backward). */
  finalState: Tensor2D;
  /**
   * `[batch, time, outputFeatureChannels]`, only with `storeAllIntermediateStates`: the state after every
   * step. A single-gate layer's state is its output, so this holds the same values as `output`.
   */
  intermediateStates?: Tensor3D;
};

const OPTIONS_KEYS = keysOf<SingleGateRNNOptions>()({
  initialState: true,
  mask: true,
  storeAllIntermediateStates: true,
  sequenceLengths: true,
});

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

/** The matrix variant as stacks, sequence lengths and bidirectional encoding see it. */
export const matrixVariant: RNNVariant<SingleGateRNNDescriptor> = {
  descriptorName: 'SingleGateRNNDescriptor',
  sequenceRank: 3,
  inputDims: (rank) => (rank === 2 ? '[batch, inputFeatureChannels]' : '[batch, time, inputFeatureChannels]'),
  asSequence,
  checkDescriptor: (descriptor) => checkDescriptor(descriptor),
  stateShape: (sequence, units) => [sequence.shape[0], units],
  stateDims: (units) => `[batch, ${units}]`,
  single: (sequence, descriptor, options) =>
    singleLayerRNN(sequence as Tensor3D, descriptor, options as SingleGateRNNOptions),
  // Both directions in the same dispatches where the backend has the pair kernel.
  runDirections: (sequence, stacks, context) => runDirections(sequence as Tensor3D, stacks, context),
};

function singleGateRNN_(
  x: Tensor3D | Tensor2D | TensorLike,
  descriptors: SingleGateRNNDescriptor | readonly SingleGateRNNDescriptor[],
  options: SingleGateRNNOptions | SingleGateRNNStackOptions = {},
): AnySingleGateRNNResult {
  checkKnownKeys(options, OPTIONS_KEYS, 'options');
  const $x = toFloatTensor(x, 'x');
  if (Array.isArray(descriptors) || $x.rank !== 3 || options.sequenceLengths != null) {
    return sequenceRNN($x, descriptors, options as SingleGateRNNStackOptions, matrixVariant);
  }
  return singleLayerRNN(
    $x as Tensor3D,
    descriptors as SingleGateRNNDescriptor,
    options as SingleGateRNNOptions,
  );
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

/** The matrix variant with every layer through the portable path: what a training call of a layer runs. */
export const trainableMatrixVariant: RNNVariant<SingleGateRNNDescriptor> = {
  ...matrixVariant,
  // Each direction through the portable path, never the pair kernel.
  runDirections: undefined,
  single: (sequence, descriptor, options) =>
    singleGateRNNTrainable(sequence as Tensor3D, descriptor, options as SingleGateRNNOptions),
};
