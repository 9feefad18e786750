/**
 * `SingleGateRNN` as a tfjs layer: one `MPSRNNSingleGateDescriptor` whose weights are layer variables.
 * Config fields carry the descriptor's names; the weights' data live in the layer's variables.
 */
import {engine, serialization, Tensor, Tensor1D, Tensor2D, Tensor3D, tidy} from '@tensorflow/tfjs-core';
import {layers, LayerVariable, Shape} from '@tensorflow/tfjs-layers';

import {checkKnownKeys, savedConfigToArgs} from '../checks/config_keys.js';
import type {SequenceDirection, SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import {DescriptorSettings, descriptorAttrs, FROM_INPUT_SHAPE} from '../checks/descriptor_attrs.js';
import type {SingleGateRNNResult} from '../matrix/options.js';
import {singleGateRNN} from '../matrix/single_gate_rnn.js';
import {singleGateRNNBidirectional} from '../matrix/single_gate_rnn_bidirectional.js';
import {trainableMatrixVariant} from '../matrix/variant.js';
import {sequenceRNN} from '../sequence/stack.js';
import {checkBoolean, formatShape} from '../checks/arguments.js';
import {checkCombineMode, combineDirections, LayerCombineMode} from './combine.js';
import {Initializer, serializeInitializer, toInitializer} from './initializers.js';
import {
  INPUT_WEIGHTS_KEYS,
  LAYER_CONFIG_KEYS,
  LayerInputWeightsConfig,
  LayerRecurrentWeightsConfig,
  SingleGateRNNLayerArgs,
} from './layer_config.js';

import {lengthsMask, splitLayerInputs, zeroPastEnd} from './layer_inputs.js';

export type {LayerCombineMode, LayerInputWeightsConfig, LayerRecurrentWeightsConfig, SingleGateRNNLayerArgs};

/** One direction's variables: W, U and the bias, each absent where the config has none. */
interface DirectionVariables {
  w: LayerVariable | null;
  u: LayerVariable | null;
  bias: LayerVariable | null;
}

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
 * shape [batch, outputFeatureChannels] (`[x, forwardState, backwardState]` when bidirectional), each
 * optionally followed by the sequence lengths ([batch], as the op's `sequenceLengths`). Variables, in
 * order: `inputWeights` (W, [out, in]; absent in unit-transform mode or with null input weights),
 * `recurrentWeights` (U, [out, out]; absent when null) and `biasTerms` ([out]; absent without bias),
 * then the backward copy's under the same names prefixed `backward` when bidirectional (as Keras'
 * Bidirectional orders them). W and U are laid out as MPS has them ([out, in]), which is the transpose
 * of Keras' `kernel` and `recurrent_kernel`.
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
  /** null: one direction; otherwise bidirectional, merged this way (see the config's doc). */
  readonly bidirectionalCombineMode: LayerCombineMode | null;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;

  private forward: DirectionVariables = {w: null, u: null, bias: null};
  private backward: DirectionVariables = {w: null, u: null, bias: null};

  constructor(args: SingleGateRNNLayerArgs) {
    super(args);
    this.supportsMasking = true;
    const at = `SingleGateRNN layer '${this.name}': `;
    if (args == null || typeof args !== 'object') {
      throw new Error(
        `SingleGateRNN layer: config must be an object with outputFeatureChannels, got ${String(args)}`,
      );
    }
    if ('goBackwards' in args) {
      // tf.layers.bidirectional clones the layer it wraps with `goBackwards` flipped in its config.
      throw new Error(
        `${at}tf.layers.bidirectional cannot wrap it (it would run each direction in a call of its own); ` +
          "give the layer bidirectionalCombineMode instead ('concatenate' for mergeMode 'concat', 'add' for " +
          "'sum', 'mul', 'ave', 'none' for null), which runs both directions in one singleGateRNNBidirectional call",
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
    if (this.inputWeights != null && !this.useLayerInputUnitTransformMode) {
      variables.w = this.addWeight(name('inputWeights'), [out, channels], 'float32', this.kernelInitializer);
    }
    if (this.recurrentWeights != null) {
      variables.u = this.addWeight(
        name('recurrentWeights'),
        [out, out],
        'float32',
        this.recurrentInitializer,
      );
    }
    if (this.inputWeights != null && this.inputWeights.biasTerms !== false) {
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
    if (!this.built || this.inputFeatureChannels == null) {
      throw new Error(`SingleGateRNN layer '${this.name}' has no descriptor before it is built`);
    }
    const {w, u, bias} = variables;
    return {
      ...this.settings(this.inputFeatureChannels),
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
      const list = Array.isArray(inputs) ? inputs : [inputs];
      const mode = this.bidirectionalCombineMode;
      const {x, states, lengths} = splitLayerInputs(
        list,
        mode == null ? 1 : 2,
        `SingleGateRNN layer '${this.name}' `,
      );
      // A mask from an upstream layer (Masking, Embedding with maskZero): one per input, x's first.
      const masks = kwargs['mask'] as Tensor2D | Tensor2D[] | null | undefined;
      const upstream = (Array.isArray(masks) ? masks[0] : masks) ?? null;
      const byLengths = lengths == null ? null : lengthsMask(lengths, x.shape[1], upstream);
      const sequence = {mask: byLengths?.mask ?? upstream};
      // The op's lengths give zeros past a row's end; the mask carries the state there.
      const ended = (output: Tensor3D) => (byLengths == null ? output : zeroPastEnd(output, byLengths.valid));
      const training = isTrainingCall(kwargs);
      // Training goes through the portable path, whose ops have gradients (see isTrainingCall).
      const run = (descriptor: SingleGateRNNDescriptor, initialState: Tensor2D | undefined) =>
        training
          ? (sequenceRNN(
              x,
              descriptor,
              {initialState, ...sequence},
              trainableMatrixVariant,
            ) as SingleGateRNNResult)
          : singleGateRNN(x, descriptor, {initialState, ...sequence});
      if (mode == null) {
        const {output, finalState} = run(this.descriptor(), states[0]);
        const main = this.returnSequences ? ended(output) : finalState;
        return this.returnState ? [main, finalState] : main;
      }
      const [forward, backward] = this.bidirectionalDescriptors();
      let merged: Tensor[];
      let finals: Tensor2D[];
      if (training) {
        const [f, b] = [run(forward, states[0]), run(backward, states[1])];
        finals = [f.finalState, b.finalState];
        merged = this.returnSequences
          ? combineDirections(mode, ended(f.output), ended(b.output))
          : combineDirections(mode, f.finalState, b.finalState);
      } else {
        // 'add' and 'concatenate' over sequences are the op's own combine modes; the rest is done here.
        const opMode = this.returnSequences && (mode === 'add' || mode === 'concatenate') ? mode : 'none';
        const result = singleGateRNNBidirectional(x, [forward, backward], {
          bidirectionalCombineMode: opMode,
          initialStates: {forward: [states[0] ?? null], backward: [states[1] ?? null]},
          ...sequence,
        });
        finals = [result.finalStates.forward[0], result.finalStates.backward[0]];
        if ('output' in result) merged = [ended(result.output)];
        else if (this.returnSequences)
          merged = combineDirections(mode, ended(result.outputForward), ended(result.outputBackward));
        else merged = combineDirections(mode, finals[0], finals[1]);
      }
      const outputs = this.returnState ? [...merged, ...finals] : merged;
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
    const config: serialization.ConfigDict = {
      outputFeatureChannels: this.outputFeatureChannels,
      useLayerInputUnitTransformMode: this.useLayerInputUnitTransformMode,
      useFloat32Weights: this.useFloat32Weights,
      layerSequenceDirection: this.layerSequenceDirection,
      inputWeights: this.inputWeights as serialization.ConfigDict | null,
      recurrentWeights: this.recurrentWeights,
      // Only when set, so that a one-direction layer's saved config stays as it was.
      ...(this.bidirectionalCombineMode != null
        ? {bidirectionalCombineMode: this.bidirectionalCombineMode}
        : {}),
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
