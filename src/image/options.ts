/** The image op's options and results, for one layer and a stack. */
import type {Tensor2D, Tensor4D, Tensor5D, TensorLike} from '@tensorflow/tfjs-core';

import {keysOf} from '../checks/config_keys.js';
import type {SequenceLengths} from '../sequence/lengths.js';
import type {StackResultOf} from '../sequence/result_types.js';

/** A recurrent input state of the image variant: null or absent means zeros. */
export type ConvStateLike = Tensor4D | TensorLike | null | undefined;

export interface SingleGateConvRNNOptions {
  /** h_{-1}, `[batch, height, width, outputFeatureChannels]`. Absent or null: zeros. */
  initialState?: Tensor4D | TensorLike | null;
  /**
   * `[batch, time]`, bool or numbers: where 0/false, step t of sequence n is skipped: its whole image's
   * state carries over unchanged and output[n, t] repeats it. Absent: every step counts.
   */
  mask?: Tensor2D | TensorLike | null;
  /** Also return the state after every step, as `intermediateStates`. Default false. */
  storeAllIntermediateStates?: boolean;
  /**
   * `[batch]` int32 or numbers: row n consumes x_0 .. x_{L_n - 1} only, as for `singleGateRNN`: outputs
   * past a row's end are zeros, its final state is the state after its own last input.
   */
  sequenceLengths?: SequenceLengths | null;
}

/** The options of `singleGateConvRNN` with an array of descriptors (a stack). */
export interface SingleGateConvRNNStackOptions extends Omit<SingleGateConvRNNOptions, 'initialState'> {
  /** One entry per layer, layer 0 first (`[batch, height, width, units]`, null: zeros), or one tensor for a one-layer stack. */
  initialState?: Tensor4D | readonly ConvStateLike[] | null;
}

/** A type rather than an interface, so a result can be returned from `tf.tidy`. */
export type SingleGateConvRNNResult = {
  /** `[batch, time, height, width, outputFeatureChannels]`: output[:, t] is the state after consuming x_t. */
  output: Tensor5D;
  /** `[batch, height, width, outputFeatureChannels]`: the state after the last consumed step. */
  finalState: Tensor4D;
  /** With `storeAllIntermediateStates`: the state after every step (the same values as `output`). */
  intermediateStates?: Tensor5D;
};

/** The result of `singleGateConvRNN` with an array of descriptors (a stack): outputs `[batch, time, height, width, units]`. */
export type SingleGateConvRNNStackResult = StackResultOf<Tensor4D, Tensor5D>;

/** The keys `options` may hold, in every form of the call. */
export const OPTIONS_KEYS = keysOf<SingleGateConvRNNOptions>()({
  initialState: true,
  mask: true,
  storeAllIntermediateStates: true,
  sequenceLengths: true,
});
