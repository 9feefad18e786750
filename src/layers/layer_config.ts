/**
 * The SingleGateRNN layer's config: its fields, with a doc comment each, and the keys it accepts
 * (its own and those tfjs' `Layer` takes), so that a misspelt one is refused rather than ignored.
 */
import type {layers} from '@tensorflow/tfjs-layers';

import {keysOf} from '../checks/config_keys.js';
import type {NeuronDescriptor, SequenceDirection} from '../contracts/descriptor.js';
import type {LayerCombineMode} from './combine.js';
import type {InitializerSpec} from './initializers.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof layers.Layer>[0]>;

/** What the layer keeps of MPS' input weights source: its data are the layer's variables. */
export interface LayerInputWeightsConfig {
  /** The neuron g (MPS keeps it on the input weights). Default `{type: 'none'}`, as in MPS. */
  neuron?: NeuronDescriptor;
  /** Whether the source has bias terms (a `biasTerms` variable). Default true. */
  biasTerms?: boolean;
}

/** What the layer keeps of MPS' recurrent weights source: nothing but its presence (U is a variable). */
export type LayerRecurrentWeightsConfig = Record<string, never>;

export interface SingleGateRNNLayerArgs extends LayerArgs {
  /** Channels of h: the layer's units. */
  outputFeatureChannels: number;
  /** Channels of x. Optional: taken from the input shape when the layer is built (and checked if given). */
  inputFeatureChannels?: number;
  /** W x is replaced by x (no `inputWeights` variable); needs equal input and output channels. Default false. */
  useLayerInputUnitTransformMode?: boolean;
  /**
   * false (the MPS default): W and U are used at float16 precision, the variables stay float32;
   * true: float32 throughout.
   */
  useFloat32Weights?: boolean;
  /** 'forward' (default) or 'backward'; output index t is always the state after consuming x_t. */
  layerSequenceDirection?: SequenceDirection;
  /**
   * The input weights source: W (variable `inputWeights`, [out, in]), bias (variable `biasTerms`,
   * [out]) and the neuron. null: W = 0, b = 0, identity neuron.
   *
   * Porting note: MPS' descriptor defaults to null here; a layer without input weights would ignore
   * its input, so the layer defaults to `{}` (W and bias, identity neuron).
   */
  inputWeights?: LayerInputWeightsConfig | null;
  /** The recurrent weights source: U (variable `recurrentWeights`, [out, out]). null: U = 0. Default `{}`. */
  recurrentWeights?: LayerRecurrentWeightsConfig | null;
  /**
   * Set: the layer is bidirectional (MPS' `encodeBidirectionalSequence`), a forward and a backward copy
   * over the same x in one `singleGateRNNBidirectional` call, the backward copy with its own variables
   * (`backwardInputWeights`, `backwardRecurrentWeights`, `backwardBiasTerms`). The mode merges the two:
   * 'none' (both outputs, forward first), 'add', 'concatenate' (channels, forward first), 'mul' or
   * 'ave' (tfjs' null, 'sum', 'concat', 'mul', 'ave'). null or absent (default): one direction,
   * `layerSequenceDirection`.
   *
   * Porting note: this replaces `tf.layers.bidirectional`, which would run each direction on its own.
   */
  bidirectionalCombineMode?: LayerCombineMode | null;
  /** Return the whole sequence [batch, time, out] (true) or only the final state [batch, out] (false, default). */
  returnSequences?: boolean;
  /** Also return the final state, as a second output. Default false. */
  returnState?: boolean;
  /** Initializer of `inputWeights` (W): an initializer, its name or `{className, config}`. Default 'glorotUniform'. */
  kernelInitializer?: InitializerSpec;
  /** Initializer of `recurrentWeights` (U). Default 'orthogonal' (slow beyond a few hundred units). */
  recurrentInitializer?: InitializerSpec;
  /** Initializer of `biasTerms`. Default 'zeros'. */
  biasInitializer?: InitializerSpec;
}

/** Every key the config may hold: the layer's own and those of tfjs' `Layer`, which it passes on. */
export const LAYER_CONFIG_KEYS = keysOf<SingleGateRNNLayerArgs>()({
  outputFeatureChannels: true,
  inputFeatureChannels: true,
  useLayerInputUnitTransformMode: true,
  useFloat32Weights: true,
  layerSequenceDirection: true,
  inputWeights: true,
  recurrentWeights: true,
  bidirectionalCombineMode: true,
  returnSequences: true,
  returnState: true,
  kernelInitializer: true,
  recurrentInitializer: true,
  biasInitializer: true,
  inputShape: true,
  batchInputShape: true,
  batchSize: true,
  dtype: true,
  name: true,
  trainable: true,
  weights: true,
  inputDType: true,
});
export const INPUT_WEIGHTS_KEYS = keysOf<LayerInputWeightsConfig>()({neuron: true, biasTerms: true});
