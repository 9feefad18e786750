/**
 * `SingleGateRNN` as a tfjs layer: one `MPSRNNSingleGateDescriptor` whose weights are layer variables.
 * Config fields carry the descriptor's names; the weights' data live in the layer's variables.
 */
import {serialization, Tensor, Tensor1D, Tensor2D, tidy} from '@tensorflow/tfjs-core';
import {LayerVariable, Shape} from '@tensorflow/tfjs-layers';

import type {SequenceDirection, SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import {checkCombineMode, LayerCombineMode} from './combine.js';
import {
  LAYER_CONFIG_KEYS,
  LayerInputWeightsConfig,
  LayerRecurrentWeightsConfig,
  SingleGateRNNLayerArgs,
} from './layer_config.js';
import {runLayerCall} from './layer_call.js';
import {isTrainingCall, SingleGateLayerBase} from './single_gate_layer_base.js';

export type {LayerCombineMode, LayerInputWeightsConfig, LayerRecurrentWeightsConfig, SingleGateRNNLayerArgs};

const MATRIX_LAYER = {
  name: 'SingleGateRNN',
  inputDims: ['batch', 'time', 'inputFeatureChannels'],
  configKeys: LAYER_CONFIG_KEYS,
};

/** One direction's variables: W, U and the bias, each absent where the config has none. */
interface DirectionVariables {
  w: LayerVariable | null;
  u: LayerVariable | null;
  bias: LayerVariable | null;
}

/**
 * A single-gate RNN layer: h_t = g(W x_t + U h_{t-1} + b). Prediction runs the fused kernel; a training
 * call runs the portable path, whose stock ops have gradients (float16 weights are rounded in its
 * forward pass and pass gradients straight through).
 *
 * Input: x of shape [batch, time, inputFeatureChannels], or `[x, initialState]` with initialState of
 * shape [batch, outputFeatureChannels] (`[x, forwardState, backwardState]` when bidirectional), each
 * optionally followed by the sequence lengths ([batch], as the op's `sequenceLengths`). Variables, in
 * order: `inputWeights` (W, [out, in]; absent in unit-transform mode or with null input weights),
 * `recurrentWeights` (U, [out, out]; absent when null) and `biasTerms` ([out]; absent without bias),
 * then the backward copy's under the same names prefixed `backward` when bidirectional (as Keras'
 * Bidirectional orders them). W and U are laid out as MPS has them ([out, in]), which is the transpose
 * of Keras' `kernel` and `recurrent_kernel`.
 */
export class SingleGateRNNLayer extends SingleGateLayerBase {
  static className = 'SingleGateRNN';

  /** null: one direction; otherwise bidirectional, merged this way (see the config's doc). */
  readonly bidirectionalCombineMode: LayerCombineMode | null;

  private forward: DirectionVariables = {w: null, u: null, bias: null};
  private backward: DirectionVariables = {w: null, u: null, bias: null};

  constructor(args: SingleGateRNNLayerArgs) {
    super(args, MATRIX_LAYER, (config, at) => {
      if ('goBackwards' in config) {
        // tf.layers.bidirectional clones the layer it wraps with `goBackwards` flipped in its config.
        throw new Error(
          `${at}tf.layers.bidirectional cannot wrap it (it would run each direction in a call of its own); ` +
            "give the layer bidirectionalCombineMode instead ('concatenate' for mergeMode 'concat', 'add' for " +
            "'sum', 'mul', 'ave', 'none' for null), which runs both directions in one singleGateRNNBidirectional call",
        );
      }
    });
    const at = this.at;
    this.bidirectionalCombineMode = checkCombineMode(
      args.bidirectionalCombineMode,
      `${at}bidirectionalCombineMode`,
    );
    if (this.bidirectionalCombineMode != null && this.layerSequenceDirection !== 'forward') {
      throw new Error(
        `${at}a bidirectional layer (bidirectionalCombineMode ${this.bidirectionalCombineMode}) runs both ` +
          `directions: layerSequenceDirection must be 'forward', got '${this.layerSequenceDirection}'`,
      );
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = this.builtChannels(inputShape);
    this.forward = this.addDirectionWeights('', channels);
    if (this.bidirectionalCombineMode != null) this.backward = this.addDirectionWeights('backward', channels);
    this.built = true;
  }

  /** One direction's variables, named `inputWeights`, ... or with `prefix` ('backwardInputWeights'). */
  private addDirectionWeights(prefix: string, channels: number): DirectionVariables {
    const out = this.outputFeatureChannels;
    const name = (field: string) => (prefix ? prefix + field[0].toUpperCase() + field.slice(1) : field);
    const variables: DirectionVariables = {w: null, u: null, bias: null};
    // When tfjs loads saved weights it sets fastWeightInitDuringBuild, and addWeight skips these.
    if (this.hasWeights('input')) {
      variables.w = this.addWeight(name('inputWeights'), [out, channels], 'float32', this.kernelInitializer);
    }
    if (this.hasWeights('recurrent')) {
      variables.u = this.addWeight(
        name('recurrentWeights'),
        [out, out],
        'float32',
        this.recurrentInitializer,
      );
    }
    if (this.hasWeights('bias')) {
      variables.bias = this.addWeight(name('biasTerms'), [out], 'float32', this.biasInitializer);
    }
    return variables;
  }

  /** The descriptor this layer runs (the forward one when bidirectional), with its current variable values. */
  descriptor(): SingleGateRNNDescriptor {
    return this.descriptorOf(this.forward, this.layerSequenceDirection);
  }

  /**
   * The descriptors `singleGateRNNBidirectional` runs for a bidirectional layer: the forward one, then
   * the backward copy with its own variables.
   */
  bidirectionalDescriptors(): [SingleGateRNNDescriptor, SingleGateRNNDescriptor] {
    if (this.bidirectionalCombineMode == null) {
      throw new Error(
        `SingleGateRNN layer '${this.name}' is not bidirectional (bidirectionalCombineMode is null): use descriptor()`,
      );
    }
    return [this.descriptorOf(this.forward, 'forward'), this.descriptorOf(this.backward, 'backward')];
  }

  private descriptorOf(variables: DirectionVariables, direction: SequenceDirection): SingleGateRNNDescriptor {
    const channels = this.builtInputChannels();
    const {w, u, bias} = variables;
    return {
      ...this.settings(channels),
      layerSequenceDirection: direction,
      inputWeights:
        this.inputWeights == null
          ? null
          : {
              weights: w ? (w.read() as Tensor2D) : null,
              biasTerms: bias ? (bias.read() as Tensor1D) : null,
              ...(this.inputWeights.neuron ? {neuron: this.inputWeights.neuron} : {}),
            },
      recurrentWeights: u ? {weights: u.read() as Tensor2D} : null,
    };
  }

  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown> = {}): Tensor | Tensor[] {
    return tidy(() => {
      const mode = this.bidirectionalCombineMode;
      const directions = mode == null ? ([this.descriptor()] as const) : this.bidirectionalDescriptors();
      const outputs = runLayerCall(Array.isArray(inputs) ? inputs : [inputs], directions, {
        at: `SingleGateRNN layer '${this.name}' `,
        // A mask from an upstream layer (Masking, Embedding with maskZero): one per input, x's first.
        masks: kwargs['mask'] as Tensor2D | Tensor2D[] | null | undefined,
        training: isTrainingCall(kwargs),
        mode,
        returnSequences: this.returnSequences,
        returnState: this.returnState,
      });
      return outputs.length === 1 ? outputs[0] : outputs;
    });
  }

  /**
   * Masks pass through to a sequence output and stop at a final state. The op's masked steps carry
   * the state over and repeat it as their output (MPS' sequences of different lengths).
   */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[]): Tensor | Tensor[] {
    const sequenceMask = (Array.isArray(mask) ? mask[0] : mask) ?? null;
    const main = this.returnSequences ? sequenceMask : null;
    const mains = this.bidirectionalCombineMode === 'none' ? [main, main] : [main];
    const states = this.returnState ? this.stateShapes(null) : [];
    const masks = [...mains, ...states];
    // tfjs' Layer types masks as non-null, but passes and accepts null for "no mask".
    return (masks.length === 1 ? masks[0] : masks) as Tensor | Tensor[];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const [batch, time] = this.sequenceShape(inputShape);
    const mode = this.bidirectionalCombineMode;
    const out = this.outputFeatureChannels * (mode === 'concatenate' ? 2 : 1);
    const main: Shape = this.returnSequences ? [batch, time, out] : [batch, out];
    const mains = mode === 'none' ? [main, [...main]] : [main];
    const shapes = this.returnState
      ? [...mains, ...this.stateShapes([batch, this.outputFeatureChannels])]
      : mains;
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  /** One entry per final state the layer returns with `returnState`: one per direction. */
  private stateShapes<T>(state: T): T[] {
    return this.bidirectionalCombineMode == null ? [state] : [state, state];
  }

  override getConfig(): serialization.ConfigDict {
    // bidirectionalCombineMode only when set, so that a one-direction layer's saved config stays as it was.
    const mode = this.bidirectionalCombineMode;
    return this.configWith(mode != null ? {bidirectionalCombineMode: mode} : {});
  }
}
serialization.registerClass(SingleGateRNNLayer);

/** Factory in the style of `tf.layers.simpleRNN`. */
export function singleGateRNNLayer(args: SingleGateRNNLayerArgs): SingleGateRNNLayer {
  return new SingleGateRNNLayer(args);
}
