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
import {LayerVariable, Shape} from '@tensorflow/tfjs-layers';

import {formatValue} from '../checks/arguments.js';
import {checkPadding} from '../checks/image_descriptor_attrs.js';
import type {SingleGateConvRNNDescriptor} from '../contracts/image_descriptor.js';
import type {ConvRNNPadding} from '../contracts/image_kernel.js';
import {singleGateConvRNN} from '../image/single_gate_conv_rnn.js';
import {singleGateConvRNNTrainable} from '../image/single_layer.js';
import {CONV_LAYER_CONFIG_KEYS, KernelSize, SingleGateConvRNN2DLayerArgs} from './conv_layer_config.js';
import type {Initializer} from './initializers.js';
import {isTrainingCall, SingleGateLayerBase} from './single_gate_layer_base.js';

export type {KernelSize, SingleGateConvRNN2DLayerArgs};

const IMAGE_LAYER = {
  name: 'SingleGateConvRNN2D',
  inputDims: ['batch', 'time', 'height', 'width', 'inputFeatureChannels'],
  configKeys: CONV_LAYER_CONFIG_KEYS,
};

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
export class SingleGateConvRNN2D extends SingleGateLayerBase {
  static className = 'SingleGateConvRNN2D';

  readonly inputKernelSize: [number, number];
  readonly recurrentKernelSize: [number, number];
  readonly padding: ConvRNNPadding;

  private w: LayerVariable | null = null;
  private u: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  constructor(args: SingleGateConvRNN2DLayerArgs) {
    super(args, IMAGE_LAYER);
    const at = this.at;
    this.inputKernelSize = kernelSize(args.inputKernelSize, `${at}inputKernelSize`);
    this.recurrentKernelSize = kernelSize(args.recurrentKernelSize, `${at}recurrentKernelSize`);
    this.padding = checkPadding(args.padding, `${at}padding`);
  }

  override build(inputShape: Shape | Shape[]): void {
    const channels = this.builtChannels(inputShape);
    const out = this.outputFeatureChannels;
    // When tfjs loads saved weights it sets fastWeightInitDuringBuild, and addWeight skips these.
    if (this.hasWeights('input')) {
      const shape = [out, ...this.inputKernelSize, channels];
      this.w = this.addWeight('inputWeights', shape, 'float32', ohwiInitializer(this.kernelInitializer));
    }
    if (this.hasWeights('recurrent')) {
      const shape = [out, ...this.recurrentKernelSize, out];
      this.u = this.addWeight(
        'recurrentWeights',
        shape,
        'float32',
        ohwiInitializer(this.recurrentInitializer),
      );
    }
    if (this.hasWeights('bias')) {
      this.bias = this.addWeight('biasTerms', [out], 'float32', this.biasInitializer);
    }
    this.built = true;
  }

  /** The descriptor this layer runs, with its current variable values. */
  descriptor(): SingleGateConvRNNDescriptor {
    return {
      ...this.settings(this.builtInputChannels()),
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
    return this.configWith({
      inputKernelSize: [...this.inputKernelSize],
      recurrentKernelSize: [...this.recurrentKernelSize],
      padding: this.padding,
    });
  }
}
serialization.registerClass(SingleGateConvRNN2D);

/** Factory in the style of `tf.layers.convLstm2d`. */
export function singleGateConvRNN2DLayer(args: SingleGateConvRNN2DLayerArgs): SingleGateConvRNN2D {
  return new SingleGateConvRNN2D(args);
}
