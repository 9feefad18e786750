/**
 * The op function: validates a descriptor, resolves its defaults and calls the `SingleGateRNN` kernel
 * of the active backend.
 */
import {
  engine,
  getBackend,
  getKernel,
  notEqual,
  op,
  Tensor,
  Tensor2D,
  Tensor3D,
  TensorLike,
} from '@tensorflow/tfjs-core';

import {checkKnownKeys, keysOf} from './config_keys.js';
import type {SingleGateRNNDescriptor} from './descriptor.js';
import {checkDescriptor} from './descriptor_attrs.js';
import {SingleGateRNN, SingleGateRNNAttrs, SingleGateRNNInputs} from './kernel_names.js';
import {portableInference} from './portable/inference.js';
import {PortableInputs, portableSingleGateRNN} from './portable/single_gate_rnn.js';
import {checkBoolean, checkedFloatTensor, formatShape, tensorFrom, toFloatTensor} from './validate.js';

export interface SingleGateRNNOptions {
  /** h_{-1}, [batch, outputFeatureChannels]. Absent or null: zeros (MPS' null recurrent input state). */
  initialState?: Tensor2D | TensorLike | null;
  /**
   * [batch, time], bool or numbers: where 0/false, step t of sequence n is skipped: its state carries
   * over unchanged and output[n, t] repeats it. This is Keras' masking, and MPS' batches of sequences
   * of different lengths (mask the steps after each sequence's end). Absent: every step counts.
   */
  mask?: Tensor2D | TensorLike | null;
  /** Also return the state after every step, as `intermediateStates`. Default false. */
  storeAllIntermediateStates?: boolean;
}

/** A type rather than an interface, so a result can be returned from `tf.tidy`. */
export type SingleGateRNNResult = {
  /** [batch, time, outputFeatureChannels]: output[:, t] is the state after consuming x_t. */
  output: Tensor3D;
  /** [batch, outputFeatureChannels]: the state after the last consumed step (x_0 when going backward). */
  finalState: Tensor2D;
  /**
   * [batch, time, outputFeatureChannels], only with `storeAllIntermediateStates`: the state after every
   * step. A single-gate layer's state is its output, so this holds the same values as `output`.
   */
  intermediateStates?: Tensor3D;
};

const OPTIONS_KEYS = keysOf<SingleGateRNNOptions>()({
  initialState: true,
  mask: true,
  storeAllIntermediateStates: true,
});

/** A checked call: the kernel's inputs and attributes, and whether every step's state is wanted. */
interface CheckedCall {
  inputs: PortableInputs;
  attrs: SingleGateRNNAttrs;
  storeAll: boolean;
}

/** Checks the op's arguments and normalizes them into the kernel's inputs and attributes. */
function checkCall(
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
  if ($x.rank !== 3) {
    throw new Error(
      `x must be rank 3 [batch, time, inputFeatureChannels], got rank ${$x.rank} with shape ${formatShape($x.shape)}`,
    );
  }
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
    if (value != null)
      (inputs as Record<string, Tensor>)[name] = checkedFloatTensor(value, argName, shape, what);
  }

  if (options.mask != null) {
    const mask = options.mask instanceof Tensor ? options.mask : tensorFrom(options.mask, 'options.mask');
    if (mask.dtype === 'string' || mask.dtype === 'complex64') {
      throw new Error(`options.mask must be a bool or numeric tensor, got dtype ${mask.dtype}`);
    }
    if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== time) {
      throw new Error(
        `options.mask must be [batch, time] = ${formatShape([batch, time])}, got ${formatShape(mask.shape)}`,
      );
    }
    // bool, so kernels see one dtype (a cast would not do: tfjs casts bool to float32 by relabelling).
    inputs.mask = (mask.dtype === 'bool' ? mask : notEqual(mask, 0)) as Tensor2D;
  }

  return {inputs, attrs, storeAll};
}

function result([output, finalState]: [Tensor3D, Tensor2D], storeAll: boolean): SingleGateRNNResult {
  return storeAll ? {output, finalState, intermediateStates: output.clone()} : {output, finalState};
}

function singleGateRNN_(
  x: Tensor3D | TensorLike,
  descriptor: SingleGateRNNDescriptor,
  options: SingleGateRNNOptions = {},
): SingleGateRNNResult {
  const {inputs, attrs, storeAll} = checkCall(x, descriptor, options);
  // A backend without a kernel of ours computes the same with stock ops: nothing to configure.
  const outputs =
    getKernel(SingleGateRNN, getBackend()) != null
      ? engine().runKernel<[Tensor3D, Tensor2D]>(SingleGateRNN, inputs, attrs)
      : portableInference(inputs, attrs);
  return result(outputs, storeAll);
}

/**
 * Encodes a batch of sequences with one single-gate RNN layer (`MPSRNNSingleGateDescriptor`): for every
 * step t, h_t = g(W x_t + U h_{t-1} + b).
 *
 * @param x [batch, time, inputFeatureChannels] float32.
 * @param descriptor The layer: channel counts, weights sources, mode flags and direction.
 * @param options Initial state, mask and whether to return every step's state.
 *
 * Inference only: the op has no gradient. On a backend without a `SingleGateRNN` kernel it computes the
 * same with stock tfjs ops (the portable path). Wrapped with tfjs' `op()`, so it shows in traces as
 * `singleGateRNN__op`, and the tensors it makes along the way are disposed, also when it throws.
 */
export const singleGateRNN = op({singleGateRNN_});

function singleGateRNNTrainable_(
  x: Tensor3D | TensorLike,
  descriptor: SingleGateRNNDescriptor,
  options: SingleGateRNNOptions = {},
): SingleGateRNNResult {
  const {inputs, attrs, storeAll} = checkCall(x, descriptor, options);
  return result(portableSingleGateRNN(inputs, attrs), storeAll);
}

/**
 * `singleGateRNN` through the portable path on every backend, with gradients: what the layers run
 * for a training call. Not exported from the package: the op itself stays inference-only.
 */
export const singleGateRNNTrainable = op({singleGateRNNTrainable_});
