/**
 * Keras SimpleRNN weights → a SingleGateRNN descriptor.
 *
 * Keras computes h_t = g(x_t · kernel + h_{t-1} · recurrent_kernel + bias) with row vectors, so its
 * `kernel` [inputs, units] is Wᵀ and its `recurrent_kernel` [units, units] is Uᵀ in the descriptor's
 * h_t = g(W x_t + U h_{t-1} + b).
 */
import {Tensor, Tensor1D, Tensor2D, tidy, transpose} from '@tensorflow/tfjs-core';

import {formatShape} from '../checks/arguments.js';
import type {NeuronDescriptor, SingleGateRNNDescriptor} from '../contracts/descriptor.js';

/**
 * Keras models run with float32 W and U by default, so that outputs match Keras (which computes in
 * float32); the op itself defaults to MPS' float16 weights.
 */
export const KERAS_USE_FLOAT32_WEIGHTS = true;

export interface KerasSimpleRNNWeights {
  /** Keras `kernel`, [inputs, units] (Wᵀ). */
  kernel: Tensor2D;
  /** Keras `recurrent_kernel`, [units, units] (Uᵀ). */
  recurrentKernel: Tensor2D;
  /** Keras `bias`, [units]; null or absent when the layer has `use_bias: false`. */
  bias?: Tensor1D | null;
}

export interface KerasSimpleRNNDescriptorOptions {
  /** The neuron (see `kerasActivationToNeuron`). */
  neuron: NeuronDescriptor;
  /**
   * Default `KERAS_USE_FLOAT32_WEIGHTS` (true). false holds W and U at float16 precision, as MPS does
   * by default: faster on some GPUs, at about 1e-3 relative error.
   */
  useFloat32Weights?: boolean;
  /** Keras `go_backwards`: the descriptor consumes the sequence from its end. Default false. */
  goBackwards?: boolean;
  /** Shown in errors. */
  layerName?: string;
}

/**
 * Builds the descriptor of one Keras SimpleRNN layer. The returned W and U are new tensors (the
 * transposes); the caller owns them (`disposeDescriptorWeights`). Shapes are checked here so a
 * mismatch names the Keras weight rather than the descriptor field.
 */
export function kerasSimpleRNNDescriptor(
  weights: KerasSimpleRNNWeights,
  options: KerasSimpleRNNDescriptorOptions,
): SingleGateRNNDescriptor {
  const layer = options.layerName != null ? `SimpleRNN layer '${options.layerName}': ` : '';
  const {kernel, recurrentKernel, bias} = weights;
  if (kernel.rank !== 2) {
    throw new Error(`${layer}kernel must be [inputs, units], got ${formatShape(kernel.shape)}`);
  }
  const [inputs, units] = kernel.shape;
  if (
    recurrentKernel.rank !== 2 ||
    recurrentKernel.shape[0] !== units ||
    recurrentKernel.shape[1] !== units
  ) {
    throw new Error(
      `${layer}recurrent_kernel must be [units, units] = [${units}, ${units}], got ${formatShape(recurrentKernel.shape)}`,
    );
  }
  if (bias != null && (bias.rank !== 1 || bias.shape[0] !== units)) {
    throw new Error(`${layer}bias must be [units] = [${units}], got ${formatShape(bias.shape)}`);
  }
  const [w, u] = tidy(() => [transpose<Tensor2D>(kernel), transpose<Tensor2D>(recurrentKernel)]);
  return {
    inputFeatureChannels: inputs,
    outputFeatureChannels: units,
    useFloat32Weights: options.useFloat32Weights ?? KERAS_USE_FLOAT32_WEIGHTS,
    layerSequenceDirection: options.goBackwards === true ? 'backward' : 'forward',
    inputWeights: {weights: w, biasTerms: bias ?? null, neuron: options.neuron},
    recurrentWeights: {weights: u},
  };
}

/** Disposes the W and U tensors `kerasSimpleRNNDescriptor` created (not the bias, which it borrowed). */
export function disposeDescriptorWeights(descriptor: SingleGateRNNDescriptor): void {
  for (const source of [descriptor.inputWeights, descriptor.recurrentWeights]) {
    if (source?.weights instanceof Tensor) source.weights.dispose();
  }
}
