/**
 * What the matrix layer (`SingleGateRNN`) and the image layer (`SingleGateConvRNN2D`) share: the
 * descriptor's fields as config, the output flags, the initializers, their checks at construction and
 * when built, and their saved form. Each layer adds its own fields, variables and call.
 */
import {engine, serialization} from '@tensorflow/tfjs-core';
import {layers, Shape} from '@tensorflow/tfjs-layers';

import {checkBoolean, formatShape} from '../checks/arguments.js';
import {checkKnownKeys, checkNestedConfig, savedConfigToArgs} from '../checks/config_keys.js';
import {descriptorAttrs, FROM_INPUT_SHAPE} from '../checks/descriptor_attrs.js';
import type {SequenceDirection} from '../contracts/descriptor.js';
import {Initializer, serializeInitializer, toInitializer} from './initializers.js';
import {
  INPUT_WEIGHTS_KEYS,
  LayerInputWeightsConfig,
  LayerRecurrentWeightsConfig,
  SingleGateRNNLayerArgs,
} from './layer_config.js';

/**
 * Whether tfjs asks for a training call: `model.fit` passes `training: true`, and any call under a
 * gradient tape (`tf.grad`, `tf.variableGrads`, an optimizer's `minimize`) needs gradients too.
 */
export function isTrainingCall(kwargs: Record<string, unknown>): boolean {
  return kwargs['training'] === true || engine().state.gradientDepth > 0;
}

/** How a layer names itself and its input in errors. */
interface LayerKind {
  /** The class name as errors show it: 'SingleGateRNN'. */
  name: string;
  /** x's dimensions, batch first: ['batch', 'time', 'inputFeatureChannels']. */
  inputDims: readonly string[];
  /** Every key the config may hold. */
  configKeys: readonly string[];
}

export abstract class SingleGateLayerBase extends layers.Layer {
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

  /**
   * Checks the shared fields. `refuse` runs before the keys are checked, for a key that needs its own
   * message rather than "unknown key".
   */
  protected constructor(
    args: SingleGateRNNLayerArgs,
    private readonly kind: LayerKind,
    refuse?: (args: SingleGateRNNLayerArgs, at: string) => void,
  ) {
    super(args);
    this.supportsMasking = true;
    if (args == null || typeof args !== 'object') {
      throw new Error(
        `${kind.name} layer: config must be an object with outputFeatureChannels, got ${String(args)}`,
      );
    }
    const at = this.at;
    refuse?.(args, at);
    checkKnownKeys(args, kind.configKeys, `${at}config`);
    this.inputWeights = args.inputWeights === undefined ? {} : args.inputWeights;
    checkNestedConfig(this.inputWeights, INPUT_WEIGHTS_KEYS, `${at}inputWeights`);
    this.recurrentWeights = args.recurrentWeights === undefined ? {} : args.recurrentWeights;
    checkNestedConfig(this.recurrentWeights, [], `${at}recurrentWeights`);
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
    // Keras' SimpleRNN and ConvLSTM2D defaults (tf.layers.simpleRNN's kernel default is glorotNormal).
    this.kernelInitializer = toInitializer(args.kernelInitializer, 'glorotUniform', `${at}kernelInitializer`);
    this.recurrentInitializer = toInitializer(
      args.recurrentInitializer,
      'orthogonal',
      `${at}recurrentInitializer`,
    );
    this.biasInitializer = toInitializer(args.biasInitializer, 'zeros', `${at}biasInitializer`);
  }

  /** The layer as errors name it: "SingleGateRNN layer 'name': ". */
  protected get at(): string {
    return `${this.kind.name} layer '${this.name}': `;
  }

  /** The descriptor's settings as this layer holds them, the neuron aside. */
  protected settings(inputFeatureChannels: number): {
    inputFeatureChannels: number;
    outputFeatureChannels: number;
    useLayerInputUnitTransformMode: boolean;
    useFloat32Weights: boolean;
    layerSequenceDirection: SequenceDirection;
  } {
    return {
      inputFeatureChannels,
      outputFeatureChannels: this.outputFeatureChannels,
      useLayerInputUnitTransformMode: this.useLayerInputUnitTransformMode,
      useFloat32Weights: this.useFloat32Weights,
      layerSequenceDirection: this.layerSequenceDirection,
    };
  }

  /** The shape of x, whether the layer is called on x alone or on x and its states. */
  protected sequenceShape(inputShape: Shape | Shape[]): Shape {
    const shape = Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : (inputShape as Shape);
    const dims = this.kind.inputDims;
    if (shape.length !== dims.length) {
      throw new Error(
        `${this.at}input must be rank ${dims.length} [${dims.join(', ')}], got shape ${formatShape(shape)}`,
      );
    }
    return shape;
  }

  /**
   * The input's channel count once built: x's last dimension, checked against the config's and with
   * the descriptor's settings checked for it.
   */
  protected builtChannels(inputShape: Shape | Shape[]): number {
    const shape = this.sequenceShape(inputShape);
    const channels = shape[shape.length - 1];
    if (channels == null) {
      throw new Error(`${this.at}the input's last dimension (channels) must be known`);
    }
    if (this.inputFeatureChannels != null && this.inputFeatureChannels !== channels) {
      throw new Error(
        `${this.at}input must be [${this.kind.inputDims.join(', ')}] with inputFeatureChannels = ` +
          `${this.inputFeatureChannels}, got ${formatShape(shape)}`,
      );
    }
    descriptorAttrs({...this.settings(channels), neuron: this.inputWeights?.neuron}, this.at);
    this.inputFeatureChannels = channels;
    return channels;
  }

  /** Whether the layer has the named variable: W unless absent, U unless null, b unless switched off. */
  protected hasWeights(which: 'input' | 'recurrent' | 'bias'): boolean {
    if (which === 'recurrent') return this.recurrentWeights != null;
    if (this.inputWeights == null) return false;
    return which === 'input' ? !this.useLayerInputUnitTransformMode : this.inputWeights.biasTerms !== false;
  }

  /** Throws where the layer is not built yet: it has no descriptor before. */
  protected builtInputChannels(): number {
    if (!this.built || this.inputFeatureChannels == null) {
      throw new Error(`${this.kind.name} layer '${this.name}' has no descriptor before it is built`);
    }
    return this.inputFeatureChannels;
  }

  /** The saved config: the shared fields, with the layer's `own` after the weights' configs. */
  protected configWith(own: serialization.ConfigDict): serialization.ConfigDict {
    const config: serialization.ConfigDict = {
      outputFeatureChannels: this.outputFeatureChannels,
      useLayerInputUnitTransformMode: this.useLayerInputUnitTransformMode,
      useFloat32Weights: this.useFloat32Weights,
      layerSequenceDirection: this.layerSequenceDirection,
      inputWeights: this.inputWeights as serialization.ConfigDict | null,
      recurrentWeights: this.recurrentWeights,
      ...own,
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
