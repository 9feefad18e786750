/**
 * The op function: validates a descriptor, resolves its defaults and calls the `SingleGateRNN` kernel
 * of the active backend.
 */
import {
  engine,
  Tensor,
  NamedTensorMap,
  notEqual,
  Tensor2D,
  Tensor3D,
  TensorLike,
  tidy,
} from '@tensorflow/tfjs-core';

import {SequenceDirection, SingleGateRNNDescriptor} from './descriptor.js';
import {SingleGateRNN, SingleGateRNNAttrs} from './kernel_names.js';
import {resolveNeuron} from './neuron.js';
import {
  checkBoolean,
  checkChannelCount,
  checkedFloatTensor,
  formatShape,
  tensorFrom,
  toFloatTensor,
} from './validate.js';

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

const DIRECTIONS: readonly SequenceDirection[] = ['forward', 'backward'];

/**
 * Encodes a batch of sequences with one single-gate RNN layer (`MPSRNNSingleGateDescriptor`): for every
 * step t, h_t = g(W x_t + U h_{t-1} + b).
 *
 * @param x [batch, time, inputFeatureChannels] float32.
 * @param descriptor The layer: channel counts, weights sources, mode flags and direction.
 * @param options Initial state and whether to return every step's state.
 *
 * Inference only: the op has no gradient.
 */
export function singleGateRNN(
  x: Tensor3D | TensorLike,
  descriptor: SingleGateRNNDescriptor,
  options: SingleGateRNNOptions = {},
): SingleGateRNNResult {
  if (descriptor == null || typeof descriptor !== 'object') {
    throw new Error(`descriptor must be a SingleGateRNNDescriptor object, got ${String(descriptor)}`);
  }
  const inputChannels = checkChannelCount(descriptor.inputFeatureChannels, 'descriptor.inputFeatureChannels');
  const outputChannels = checkChannelCount(
    descriptor.outputFeatureChannels,
    'descriptor.outputFeatureChannels',
  );
  const unitTransform = checkBoolean(
    descriptor.useLayerInputUnitTransformMode,
    'descriptor.useLayerInputUnitTransformMode',
    false,
  );
  if (unitTransform && inputChannels !== outputChannels) {
    throw new Error(
      `descriptor.useLayerInputUnitTransformMode replaces W x by x, so inputFeatureChannels must equal ` +
        `outputFeatureChannels; got ${inputChannels} and ${outputChannels}`,
    );
  }
  const direction = descriptor.layerSequenceDirection ?? 'forward';
  if (!DIRECTIONS.includes(direction)) {
    throw new Error(
      `descriptor.layerSequenceDirection must be 'forward' or 'backward', got ${JSON.stringify(direction)}`,
    );
  }
  const storeAll = checkBoolean(
    options.storeAllIntermediateStates,
    'options.storeAllIntermediateStates',
    false,
  );
  const inputSource = descriptor.inputWeights ?? null;
  const recurrentSource = descriptor.recurrentWeights ?? null;
  const neuron = resolveNeuron(inputSource?.neuron, 'descriptor.inputWeights.neuron');
  if (recurrentSource != null) {
    // MPS reads only U from the recurrent source; refusing the rest keeps a misplaced bias or neuron
    // from being dropped without a word.
    if (recurrentSource.biasTerms != null) {
      throw new Error(
        'descriptor.recurrentWeights.biasTerms is not used by a single-gate layer (only U is read from ' +
          'the recurrent source); give the bias as descriptor.inputWeights.biasTerms',
      );
    }
    if (
      recurrentSource.neuron != null &&
      resolveNeuron(recurrentSource.neuron, 'descriptor.recurrentWeights.neuron').type !== 'none'
    ) {
      throw new Error(
        'descriptor.recurrentWeights.neuron is not used by a single-gate layer (the neuron comes from ' +
          'the input source); give it as descriptor.inputWeights.neuron',
      );
    }
  }

  const attrs: SingleGateRNNAttrs = {
    inputFeatureChannels: inputChannels,
    outputFeatureChannels: outputChannels,
    useLayerInputUnitTransformMode: unitTransform,
    useFloat32Weights: checkBoolean(descriptor.useFloat32Weights, 'descriptor.useFloat32Weights', false),
    layerSequenceDirection: direction,
    neuronType: neuron.type,
    neuronA: neuron.a,
    neuronB: neuron.b,
    neuronC: neuron.c,
  };

  return tidy(() => {
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

    const inputs: NamedTensorMap = {x: $x};
    if (inputSource != null) {
      if (inputSource.weights != null) {
        const w = checkedFloatTensor<Tensor2D>(
          inputSource.weights,
          'descriptor.inputWeights.weights',
          [outputChannels, inputChannels],
          '[outputFeatureChannels, inputFeatureChannels]',
        );
        // In unit-transform mode MPS ignores W; it is still checked above so a wrong shape is reported.
        if (!unitTransform) inputs.inputWeights = w;
      } else if (!unitTransform) {
        throw new Error(
          'descriptor.inputWeights.weights is required (W, [outputFeatureChannels, inputFeatureChannels]); ' +
            'set descriptor.inputWeights to null for W = 0, b = 0 and the identity neuron',
        );
      }
      if (inputSource.biasTerms != null) {
        inputs.biasTerms = checkedFloatTensor(
          inputSource.biasTerms,
          'descriptor.inputWeights.biasTerms',
          [outputChannels],
          '[outputFeatureChannels]',
        );
      }
    }
    if (recurrentSource != null) {
      if (recurrentSource.weights == null) {
        throw new Error(
          'descriptor.recurrentWeights.weights is required (U, [outputFeatureChannels, outputFeatureChannels]); ' +
            'set descriptor.recurrentWeights to null for U = 0',
        );
      }
      inputs.recurrentWeights = checkedFloatTensor(
        recurrentSource.weights,
        'descriptor.recurrentWeights.weights',
        [outputChannels, outputChannels],
        'square [outputFeatureChannels, outputFeatureChannels]',
      );
    }
    if (options.initialState != null) {
      inputs.initialState = checkedFloatTensor(
        options.initialState,
        'options.initialState',
        [batch, outputChannels],
        '[batch, outputFeatureChannels]',
      );
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
      inputs.mask = mask.dtype === 'bool' ? mask : notEqual(mask, 0);
    }

    const [output, finalState] = engine().runKernel<[Tensor3D, Tensor2D]>(SingleGateRNN, inputs, attrs);
    return storeAll ? {output, finalState, intermediateStates: output.clone()} : {output, finalState};
  });
}
