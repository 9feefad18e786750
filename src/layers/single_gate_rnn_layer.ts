/**
 * `SingleGateRNN` as a tfjs layer: one `MPSRNNSingleGateDescriptor` whose weights are layer variables.
 * Config fields carry the descriptor's names; the weights' data live in the layer's variables.
 */
import {engine, serialization, Tensor, Tensor1D, Tensor2D, Tensor3D, tidy} from '@tensorflow/tfjs-core';
import {layers, LayerVariable, Shape} from '@tensorflow/tfjs-layers';

import {checkKnownKeys, savedConfigToArgs} from '../config_keys.js';
import type {SequenceDirection, SingleGateRNNDescriptor} from '../descriptor.js';
import {DescriptorSettings, descriptorAttrs, FROM_INPUT_SHAPE} from '../descriptor_attrs.js';
import {singleGateRNN, singleGateRNNTrainable} from '../single_gate_rnn.js';
import {checkBoolean, formatShape} from '../validate.js';
import {Initializer, serializeInitializer, toInitializer} from './initializers.js';
import {
  INPUT_WEIGHTS_KEYS,
  LAYER_CONFIG_KEYS,
  LayerInputWeightsConfig,
  LayerRecurrentWeightsConfig,
  SingleGateRNNLayerArgs,
} from './layer_config.js';

export type {LayerInputWeightsConfig, LayerRecurrentWeightsConfig, SingleGateRNNLayerArgs};

/**
 * Whether tfjs asks for a training call: `model.fit` passes `training: true`, and any call under a
 * gradient tape (`tf.grad`, `tf.variableGrads`, an optimizer's `minimize`) needs gradients too.
 */
export function isTrainingCall(kwargs: Record<string, unknown>): boolean {
  return kwargs['training'] === true || engine().state.gradientDepth > 0;
}

/**
 * A single-gate RNN layer: h_t = g(W x_t + U h_{t-1} + b). Prediction runs the fused kernel; a training
 * call runs the portable path, whose stock ops have gradients (float16 weights are rounded in its
 * forward pass and pass gradients straight through).
 *
 * Input: x of shape [batch, time, inputFeatureChannels], or `[x, initialState]` with initialState of
 * shape [batch, outputFeatureChannels]. Variables, in order: `inputWeights` (W, [out, in]; absent in
 * unit-transform mode or with null input weights), `recurrentWeights` (U, [out, out]; absent when null)
 * and `biasTerms` ([out]; absent without bias). W and U are laid out as MPS has them ([out, in]), which
 * is the transpose of Keras' `kernel` and `recurrent_kernel`.
 */
export class SingleGateRNNLayer extends layers.Layer {
  static className = 'SingleGateRNN';

  readonly outputFeatureChannels: number;
  inputFeatureChannels: number | undefined;
  readonly useLayerInputUnitTransformMode: boolean;
  readonly useFloat32Weights: boolean;
  readonly layerSequenceDirection: SequenceDirection;
  readonly inputWeights: LayerInputWeightsConfig | null;
  readonly recurrentWeights: LayerRecurrentWeightsConfig | null;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;

  private w: LayerVariable | null = null;
  private u: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  constructor(args: SingleGateRNNLayerArgs) {
    super(args);
    this.supportsMasking = true;
    const at = `SingleGateRNN layer '${this.name}': `;
    if (args == null || typeof args !== 'object') {
      throw new Error(
        `SingleGateRNN layer: config must be an object with outputFeatureChannels, got ${String(args)}`,
      );
    }
    checkKnownKeys(args, LAYER_CONFIG_KEYS, `${at}config`);
    this.inputWeights = args.inputWeights === undefined ? {} : args.inputWeights;
    checkKnownKeys(this.inputWeights, INPUT_WEIGHTS_KEYS, `${at}inputWeights`);
    this.recurrentWeights = args.recurrentWeights === undefined ? {} : args.recurrentWeights;
    checkKnownKeys(this.recurrentWeights, [], `${at}recurrentWeights`);
    const attrs = descriptorAttrs(
      {
        ...args,
        inputFeatureChannels: args.inputFeatureChannels ?? FROM_INPUT_SHAPE,
        neuron: this.inputWeights?.neuron,
      },
      at,
    );
    this.outputFeatureChannels = attrs.outputFeatureChannels;
    this.inputFeatureChannels = attrs.inputFeatureChannels;
    this.useLayerInputUnitTransformMode = attrs.useLayerInputUnitTransformMode;
    this.useFloat32Weights = attrs.useFloat32Weights;
    this.layerSequenceDirection = attrs.layerSequenceDirection;
    if (this.inputWeights != null)
      checkBoolean(this.inputWeights.biasTerms, `${at}inputWeights.biasTerms`, true);
    this.returnSequences = checkBoolean(args.returnSequences, `${at}returnSequences`, false);
    this.returnState = checkBoolean(args.returnState, `${at}returnState`, false);
    // Keras' SimpleRNN defaults (tf.layers.simpleRNN's kernel default is glorotNormal instead).
    this.kernelInitializer = toInitializer(args.kernelInitializer, 'glorotUniform', `${at}kernelInitializer`);
    this.recurrentInitializer = toInitializer(
      args.recurrentInitializer,
      'orthogonal',
      `${at}recurrentInitializer`,
    );
    this.biasInitializer = toInitializer(args.biasInitializer, 'zeros', `${at}biasInitializer`);
  }

  /** The descriptor's settings as this layer holds them, the neuron aside. */
  private settings(inputFeatureChannels: number): Omit<DescriptorSettings, 'neuron'> & {
    inputFeatureChannels: number;
  } {
    return {
      inputFeatureChannels,
      outputFeatureChannels: this.outputFeatureChannels,
      useLayerInputUnitTransformMode: this.useLayerInputUnitTransformMode,
      useFloat32Weights: this.useFloat32Weights,
      layerSequenceDirection: this.layerSequenceDirection,
    };
  }

  /** The shape of x, whether the layer is called on x alone or on [x, initialState]. */
  private sequenceShape(inputShape: Shape | Shape[]): Shape {
    const shape = Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : (inputShape as Shape);
    if (shape.length !== 3) {
      throw new Error(
        `SingleGateRNN layer '${this.name}': input must be rank 3 [batch, time, inputFeatureChannels], ` +
          `got shape ${formatShape(shape)}`,
      );
    }
    return shape;
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = this.sequenceShape(inputShape)[2];
    if (channels == null) {
      throw new Error(
        `SingleGateRNN layer '${this.name}': the input's last dimension (channels) must be known`,
      );
    }
    if (this.inputFeatureChannels != null && this.inputFeatureChannels !== channels) {
      throw new Error(
        `SingleGateRNN layer '${this.name}': input must be [batch, time, inputFeatureChannels] with ` +
          `inputFeatureChannels = ${this.inputFeatureChannels}, got ${formatShape(this.sequenceShape(inputShape))}`,
      );
    }
    const neuron = this.inputWeights?.neuron;
    descriptorAttrs({...this.settings(channels), neuron}, `SingleGateRNN layer '${this.name}': `);
    this.inputFeatureChannels = channels;
    const out = this.outputFeatureChannels;
    // When tfjs loads saved weights it sets fastWeightInitDuringBuild, and addWeight skips these.
    if (this.inputWeights != null && !this.useLayerInputUnitTransformMode) {
      this.w = this.addWeight('inputWeights', [out, channels], 'float32', this.kernelInitializer);
    }
    if (this.recurrentWeights != null) {
      this.u = this.addWeight('recurrentWeights', [out, out], 'float32', this.recurrentInitializer);
    }
    if (this.inputWeights != null && this.inputWeights.biasTerms !== false) {
      this.bias = this.addWeight('biasTerms', [out], 'float32', this.biasInitializer);
    }
    this.built = true;
  }

  /** The descriptor this layer runs, with its current variable values. */
  descriptor(): SingleGateRNNDescriptor {
    if (!this.built || this.inputFeatureChannels == null) {
      throw new Error(`SingleGateRNN layer '${this.name}' has no descriptor before it is built`);
    }
    return {
      ...this.settings(this.inputFeatureChannels),
      inputWeights:
        this.inputWeights == null
          ? null
          : {
              weights: this.w ? (this.w.read() as Tensor2D) : null,
              biasTerms: this.bias ? (this.bias.read() as Tensor1D) : null,
              ...(this.inputWeights.neuron ? {neuron: this.inputWeights.neuron} : {}),
            },
      recurrentWeights: this.u ? {weights: this.u.read() as Tensor2D} : null,
    };
  }

  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown> = {}): Tensor | Tensor[] {
    return tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      if (list.length > 2) {
        throw new Error(
          `SingleGateRNN layer '${this.name}' takes x or [x, initialState], got ${list.length} inputs`,
        );
      }
      const [x, initialState] = list;
      // A mask from an upstream layer (Masking, Embedding with maskZero): one per input, x's first.
      const masks = kwargs['mask'] as Tensor2D | Tensor2D[] | null | undefined;
      const run = isTrainingCall(kwargs) ? singleGateRNNTrainable : singleGateRNN;
      const {output, finalState} = run(x as Tensor3D, this.descriptor(), {
        initialState: initialState as Tensor2D | undefined,
        mask: (Array.isArray(masks) ? masks[0] : masks) ?? null,
      });
      const main = this.returnSequences ? output : finalState;
      return this.returnState ? [main, finalState] : main;
    });
  }

  /**
   * Masks pass through to a sequence output and stop at a final state. The op's masked steps carry
   * the state over and repeat it as their output (MPS' sequences of different lengths).
   */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[]): Tensor | Tensor[] {
    const sequenceMask = (Array.isArray(mask) ? mask[0] : mask) ?? null;
    const main = this.returnSequences ? sequenceMask : null;
    // tfjs' Layer types masks as non-null, but passes and accepts null for "no mask".
    return (this.returnState ? [main, null] : main) as Tensor | Tensor[];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const [batch, time] = this.sequenceShape(inputShape);
    const out = this.outputFeatureChannels;
    const main: Shape = this.returnSequences ? [batch, time, out] : [batch, out];
    return this.returnState ? [main, [batch, out]] : main;
  }

  override getConfig(): serialization.ConfigDict {
    const config: serialization.ConfigDict = {
      outputFeatureChannels: this.outputFeatureChannels,
      useLayerInputUnitTransformMode: this.useLayerInputUnitTransformMode,
      useFloat32Weights: this.useFloat32Weights,
      layerSequenceDirection: this.layerSequenceDirection,
      inputWeights: this.inputWeights as serialization.ConfigDict | null,
      recurrentWeights: this.recurrentWeights,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      recurrentInitializer: serializeInitializer(this.recurrentInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
    };
    if (this.inputFeatureChannels != null) config.inputFeatureChannels = this.inputFeatureChannels;
    return {...super.getConfig(), ...config};
  }

  /** The saved config as the constructor takes it (see `savedConfigToArgs`). */
  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    return new cls(savedConfigToArgs(config));
  }
}
serialization.registerClass(SingleGateRNNLayer);

/** Factory in the style of `tf.layers.simpleRNN`. */
export function singleGateRNNLayer(args: SingleGateRNNLayerArgs): SingleGateRNNLayer {
  return new SingleGateRNNLayer(args);
}
