/**
 * `SingleGateConvRNN2D`: the image variant as a tfjs layer (MPS' `MPSRNNImageInferenceLayer`), one
 * descriptor whose OHWI kernels and bias are layer variables. It mirrors the `SingleGateRNN` layer:
 * prediction runs the fused kernel, a training call the portable path (stock ops with gradients).
 */
import {
  serialization,
  Tensor,
  Tensor1D,
  Tensor2D,
  Tensor4D,
  Tensor5D,
  tidy,
  transpose,
} from '@tensorflow/tfjs-core';
import {layers, LayerVariable, Shape} from '@tensorflow/tfjs-layers';

import {checkKnownKeys, savedConfigToArgs} from '../checks/config_keys.js';
import type {SingleGateConvRNNDescriptor} from '../contracts/image_descriptor.js';
import {checkPadding} from '../checks/image_descriptor_attrs.js';
import type {ConvRNNPadding} from '../contracts/image_kernel.js';
import {singleGateConvRNN, singleGateConvRNNTrainable} from '../image/single_gate_conv_rnn.js';
import type {SequenceDirection} from '../contracts/descriptor.js';
import {descriptorAttrs, FROM_INPUT_SHAPE} from '../checks/descriptor_attrs.js';
import {checkBoolean, formatShape, formatValue} from '../checks/arguments.js';
import {CONV_LAYER_CONFIG_KEYS, KernelSize, SingleGateConvRNN2DLayerArgs} from './conv_layer_config.js';
import {Initializer, serializeInitializer, toInitializer} from './initializers.js';
import {INPUT_WEIGHTS_KEYS, LayerInputWeightsConfig, LayerRecurrentWeightsConfig} from './layer_config.js';
import {isTrainingCall} from './single_gate_rnn_layer.js';

export type {KernelSize, SingleGateConvRNN2DLayerArgs};

/** A kernel size as [height, width], checked. */
function kernelSize(value: KernelSize | undefined, argName: string): [number, number] {
  const size = value ?? 3;
  const sides = typeof size === 'number' ? [size, size] : size;
  const valid =
    Array.isArray(sides) && sides.length === 2 && sides.every((s) => Number.isInteger(s) && s >= 1);
  if (!valid) {
    throw new Error(
      `${argName} must be an integer >= 1 or [kernelHeight, kernelWidth] of them, got ${formatValue(value)}`,
    );
  }
  return [sides[0], sides[1]];
}

/**
 * `base` (a tfjs initializer, which computes fans for tfjs' [kernelHeight, kernelWidth, in, out]
 * layout) applied in that layout and transposed to OHWI, so a glorot or orthogonal kernel has the
 * statistics it has in Keras. Only `apply` is read: by `addWeight`; configs save `base` itself.
 */
function ohwiInitializer(base: Initializer): Initializer {
  const apply = (shape: Shape, dtype?: 'float32'): Tensor =>
    tidy(() => {
      const [out, height, width, channels] = shape as number[];
      return transpose(base.apply([height, width, channels, out], dtype), [3, 0, 1, 2]);
    });
  return {apply} as unknown as Initializer;
}

/**
 * A convolutional single-gate RNN layer: h_t = g(conv(x_t, W) + conv(h_{t-1}, U) + b), stride 1, the
 * images' size kept.
 *
 * Input: x of shape [batch, time, height, width, inputFeatureChannels], or `[x, initialState]` with
 * initialState of shape [batch, height, width, outputFeatureChannels]. Variables, in order:
 * `inputWeights` (W, OHWI `[out, kernelHeight, kernelWidth, in]`; absent in unit-transform mode or with
 * null input weights), `recurrentWeights` (U, `[out, kernelHeight', kernelWidth', out]`; absent when
 * null) and `biasTerms` (`[out]`; absent without bias). Keras' conv kernels are
 * `[kernelHeight, kernelWidth, in, out]`: `kerasConvKernelToOHWI` converts them.
 */
export class SingleGateConvRNN2D extends layers.Layer {
  static className = 'SingleGateConvRNN2D';

  readonly outputFeatureChannels: number;
  inputFeatureChannels: number | undefined;
  readonly useLayerInputUnitTransformMode: boolean;
  readonly useFloat32Weights: boolean;
  readonly layerSequenceDirection: SequenceDirection;
  readonly inputWeights: LayerInputWeightsConfig | null;
  readonly recurrentWeights: LayerRecurrentWeightsConfig | null;
  readonly inputKernelSize: [number, number];
  readonly recurrentKernelSize: [number, number];
  readonly padding: ConvRNNPadding;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;

  private w: LayerVariable | null = null;
  private u: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  constructor(args: SingleGateConvRNN2DLayerArgs) {
    super(args);
    this.supportsMasking = true;
    const at = `SingleGateConvRNN2D layer '${this.name}': `;
    if (args == null || typeof args !== 'object') {
      throw new Error(
        `SingleGateConvRNN2D layer: config must be an object with outputFeatureChannels, got ${String(args)}`,
      );
    }
    checkKnownKeys(args, CONV_LAYER_CONFIG_KEYS, `${at}config`);
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
    this.inputKernelSize = kernelSize(args.inputKernelSize, `${at}inputKernelSize`);
    this.recurrentKernelSize = kernelSize(args.recurrentKernelSize, `${at}recurrentKernelSize`);
    this.padding = checkPadding(args.padding, `${at}padding`);
    this.returnSequences = checkBoolean(args.returnSequences, `${at}returnSequences`, false);
    this.returnState = checkBoolean(args.returnState, `${at}returnState`, false);
    // Keras' ConvLSTM2D defaults.
    this.kernelInitializer = toInitializer(args.kernelInitializer, 'glorotUniform', `${at}kernelInitializer`);
    this.recurrentInitializer = toInitializer(
      args.recurrentInitializer,
      'orthogonal',
      `${at}recurrentInitializer`,
    );
    this.biasInitializer = toInitializer(args.biasInitializer, 'zeros', `${at}biasInitializer`);
  }

  /** The shape of x, whether the layer is called on x alone or on [x, initialState]. */
  private sequenceShape(inputShape: Shape | Shape[]): Shape {
    const shape = Array.isArray(inputShape[0]) ? (inputShape as Shape[])[0] : (inputShape as Shape);
    if (shape.length !== 5) {
      throw new Error(
        `SingleGateConvRNN2D layer '${this.name}': input must be rank 5 [batch, time, height, width, ` +
          `inputFeatureChannels], got shape ${formatShape(shape)}`,
      );
    }
    return shape;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.sequenceShape(inputShape);
    const channels = shape[4];
    if (channels == null) {
      throw new Error(
        `SingleGateConvRNN2D layer '${this.name}': the input's last dimension (channels) must be known`,
      );
    }
    if (this.inputFeatureChannels != null && this.inputFeatureChannels !== channels) {
      throw new Error(
        `SingleGateConvRNN2D layer '${this.name}': input must be [batch, time, height, width, ` +
          `inputFeatureChannels] with inputFeatureChannels = ${this.inputFeatureChannels}, got ${formatShape(shape)}`,
      );
    }
    descriptorAttrs(
      {
        inputFeatureChannels: channels,
        outputFeatureChannels: this.outputFeatureChannels,
        useLayerInputUnitTransformMode: this.useLayerInputUnitTransformMode,
        neuron: this.inputWeights?.neuron,
      },
      `SingleGateConvRNN2D layer '${this.name}': `,
    );
    this.inputFeatureChannels = channels;
    const out = this.outputFeatureChannels;
    // When tfjs loads saved weights it sets fastWeightInitDuringBuild, and addWeight skips these.
    if (this.inputWeights != null && !this.useLayerInputUnitTransformMode) {
      const shape = [out, ...this.inputKernelSize, channels];
      this.w = this.addWeight('inputWeights', shape, 'float32', ohwiInitializer(this.kernelInitializer));
    }
    if (this.recurrentWeights != null) {
      const shape = [out, ...this.recurrentKernelSize, out];
      this.u = this.addWeight(
        'recurrentWeights',
        shape,
        'float32',
        ohwiInitializer(this.recurrentInitializer),
      );
    }
    if (this.inputWeights != null && this.inputWeights.biasTerms !== false) {
      this.bias = this.addWeight('biasTerms', [out], 'float32', this.biasInitializer);
    }
    this.built = true;
  }

  /** The descriptor this layer runs, with its current variable values. */
  descriptor(): SingleGateConvRNNDescriptor {
    if (!this.built || this.inputFeatureChannels == null) {
      throw new Error(`SingleGateConvRNN2D layer '${this.name}' has no descriptor before it is built`);
    }
    return {
      inputFeatureChannels: this.inputFeatureChannels,
      outputFeatureChannels: this.outputFeatureChannels,
      useLayerInputUnitTransformMode: this.useLayerInputUnitTransformMode,
      useFloat32Weights: this.useFloat32Weights,
      layerSequenceDirection: this.layerSequenceDirection,
      padding: this.padding,
      inputWeights:
        this.inputWeights == null
          ? null
          : {
              weights: this.w ? (this.w.read() as Tensor4D) : null,
              biasTerms: this.bias ? (this.bias.read() as Tensor1D) : null,
              ...(this.inputWeights.neuron ? {neuron: this.inputWeights.neuron} : {}),
            },
      recurrentWeights: this.u ? {weights: this.u.read() as Tensor4D} : null,
    };
  }

  override call(inputs: Tensor | Tensor[], kwargs: Record<string, unknown> = {}): Tensor | Tensor[] {
    return tidy(() => {
      const list = Array.isArray(inputs) ? inputs : [inputs];
      if (list.length > 2) {
        throw new Error(
          `SingleGateConvRNN2D layer '${this.name}' takes x or [x, initialState], got ${list.length} inputs`,
        );
      }
      const [x, initialState] = list;
      const masks = kwargs['mask'] as Tensor2D | Tensor2D[] | null | undefined;
      const run = isTrainingCall(kwargs) ? singleGateConvRNNTrainable : singleGateConvRNN;
      const {output, finalState} = run(x as Tensor5D, this.descriptor(), {
        initialState: initialState as Tensor4D | undefined,
        mask: (Array.isArray(masks) ? masks[0] : masks) ?? null,
      });
      const main = this.returnSequences ? output : finalState;
      return this.returnState ? [main, finalState] : main;
    });
  }

  /** Masks ([batch, time]) pass through to a sequence output and stop at a final state. */
  override computeMask(_inputs: Tensor | Tensor[], mask?: Tensor | Tensor[]): Tensor | Tensor[] {
    const sequenceMask = (Array.isArray(mask) ? mask[0] : mask) ?? null;
    const main = this.returnSequences ? sequenceMask : null;
    return (this.returnState ? [main, null] : main) as Tensor | Tensor[];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    const [batch, time, height, width] = this.sequenceShape(inputShape);
    const out = this.outputFeatureChannels;
    const state: Shape = [batch, height, width, out];
    const main: Shape = this.returnSequences ? [batch, time, height, width, out] : state;
    return this.returnState ? [main, state] : main;
  }

  override getConfig(): serialization.ConfigDict {
    const config: serialization.ConfigDict = {
      outputFeatureChannels: this.outputFeatureChannels,
      useLayerInputUnitTransformMode: this.useLayerInputUnitTransformMode,
      useFloat32Weights: this.useFloat32Weights,
      layerSequenceDirection: this.layerSequenceDirection,
      inputWeights: this.inputWeights as serialization.ConfigDict | null,
      recurrentWeights: this.recurrentWeights,
      inputKernelSize: [...this.inputKernelSize],
      recurrentKernelSize: [...this.recurrentKernelSize],
      padding: this.padding,
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
serialization.registerClass(SingleGateConvRNN2D);

/** Factory in the style of `tf.layers.convLstm2d`. */
export function singleGateConvRNN2DLayer(args: SingleGateConvRNN2DLayerArgs): SingleGateConvRNN2D {
  return new SingleGateConvRNN2D(args);
}
