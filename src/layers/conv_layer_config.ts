/**
 * The SingleGateConvRNN2D layer's config: the matrix layer's fields (layer_config.ts) but
 * `bidirectionalCombineMode` (the image layer runs one direction), plus the kernel sizes of W and U and
 * the padding rule, with the keys it accepts.
 */
import {keysOf} from '../checks/config_keys.js';
import type {ConvRNNPadding} from '../contracts/image_kernel.js';
import {LAYER_CONFIG_KEYS, SingleGateRNNLayerArgs} from './layer_config.js';

/** A kernel's size: one number for a square kernel, or [kernelHeight, kernelWidth]. */
export type KernelSize = number | [number, number];

export interface SingleGateConvRNN2DLayerArgs extends Omit<
  SingleGateRNNLayerArgs,
  'inputFeatureChannels' | 'bidirectionalCombineMode'
> {
  /** Channels of x (the images' last dimension). Optional: taken from the input shape when built. */
  inputFeatureChannels?: number;
  /**
   * W's kernel size (variable `inputWeights`, `[out, kernelHeight, kernelWidth, in]`). Default 3, as
   * MPS' convolution descriptor.
   */
  inputKernelSize?: KernelSize;
  /** U's kernel size (variable `recurrentWeights`, `[out, kernelHeight, kernelWidth, out]`). Default 3. */
  recurrentKernelSize?: KernelSize;
  /**
   * Where an even kernel's extra padding goes: 'mps' (default) at the top and left, 'same' at the
   * bottom and right as Keras' `padding: 'same'`. Odd kernels are centred either way.
   */
  padding?: ConvRNNPadding;
}

/**
 * Every key the config may hold: the matrix layer's (tfjs' `Layer`'s included) but
 * `bidirectionalCombineMode`, and the image layer's own.
 */
export const CONV_LAYER_CONFIG_KEYS = [
  ...LAYER_CONFIG_KEYS.filter((key) => key !== 'bidirectionalCombineMode'),
  ...keysOf<Pick<SingleGateConvRNN2DLayerArgs, 'inputKernelSize' | 'recurrentKernelSize' | 'padding'>>()({
    inputKernelSize: true,
    recurrentKernelSize: true,
    padding: true,
  }),
];
