/** The matrix op's options and results, for one layer, a stack and a single step. */
import type {Tensor2D, Tensor3D, TensorLike} from '@tensorflow/tfjs-core';

import {keysOf} from '../checks/config_keys.js';
import type {SequenceLengths} from '../sequence/lengths.js';
import type {StackResultOf} from '../sequence/result_types.js';

export interface SingleGateRNNOptions {
  /** h_{-1}, [batch, outputFeatureChannels]. Absent or null: zeros (MPS' null recurrent input state). */
  initialState?: Tensor2D | TensorLike | null;
  /**
   * `[batch, time]`, bool or numbers: where 0/false, step t of sequence n is skipped: its state carries
   * over unchanged and output[n, t] repeats it. This is Keras' masking, and MPS' batches of sequences
   * of different lengths (mask the steps after each sequence's end). Absent: every step counts.
   */
  mask?: Tensor2D | TensorLike | null;
  /** Also return the state after every step, as `intermediateStates`. Default false. */
  storeAllIntermediateStates?: boolean;
  /**
   * [batch] int32 or numbers: row n consumes x_0 .. x_{L_n - 1} only (0 <= L_n <= time, rows in any
   * order). Outputs past a row's end are zeros; its final state is the state after its own last input
   * (the initial state for L_n = 0); intermediate states past its end repeat its final state. A
   * backward layer starts row n at x_{L_n - 1}. Works together with `mask`. Numbers are checked at the
   * call; a tensor on a GPU backend stays on the device, and a bad value in it makes the first read of
   * a result fail with the message instead.
   */
  sequenceLengths?: SequenceLengths | null;
}

/** A type rather than an interface, so a result can be returned from `tf.tidy`. */
export type SingleGateRNNResult = {
  /** `[batch, time, outputFeatureChannels]`: output[:, t] is the state after consuming x_t. */
  output: Tensor3D;
  /** `[batch, outputFeatureChannels]`: the state after the last consumed step (x_0 when going backward). */
  finalState: Tensor2D;
  /**
   * `[batch, time, outputFeatureChannels]`, only with `storeAllIntermediateStates`: the state after every
   * step. A single-gate layer's state is its output, so this holds the same values as `output`.
   */
  intermediateStates?: Tensor3D;
};

/** The keys `options` may hold, in every form of the call. */
export const OPTIONS_KEYS = keysOf<SingleGateRNNOptions>()({
  initialState: true,
  mask: true,
  storeAllIntermediateStates: true,
  sequenceLengths: true,
});

/** A recurrent input state as the options take it: null or absent means zeros. */
export type StateLike = Tensor2D | TensorLike | null | undefined;

/** The options of `singleGateRNN` with an array of descriptors (a stack). */
export interface SingleGateRNNStackOptions extends Omit<SingleGateRNNOptions, 'initialState'> {
  /**
   * One entry per layer, layer 0 first ([batch, that layer's outputFeatureChannels], null: zeros), or
   * one tensor for a one-layer stack. In this form an array is always per layer.
   */
  initialState?: Tensor2D | readonly StateLike[] | null;
}

/** The result of `singleGateRNN` with an array of descriptors (a stack): outputs `[batch, time, units]`. */
export type SingleGateRNNStackResult = StackResultOf<Tensor2D, Tensor3D>;

/** One step (x of rank 2) with one descriptor. */
export type SingleGateRNNStepResult = {
  /** `[batch, units]`: h after the step, equal to `finalState`. */
  output: Tensor2D;
  finalState: Tensor2D;
  intermediateStates?: Tensor2D;
};

/** One step (x of rank 2) through a stack: outputs and states `[batch, units]`. */
export type SingleGateRNNStackStepResult = StackResultOf<Tensor2D, Tensor2D>;

/** @internal What the op's implementation returns before its overloads narrow it. */
export type AnySingleGateRNNResult =
  SingleGateRNNResult | SingleGateRNNStackResult | SingleGateRNNStepResult | SingleGateRNNStackStepResult;
