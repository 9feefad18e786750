/**
 * `singleGateConvRNNBidirectional`: MPS' `encodeBidirectionalSequence` for the image variant, the
 * sequence engine's bidirectional encoding (src/sequence/bidirectional.ts) run with `convVariant`.
 */
import {op, Tensor4D, Tensor5D, TensorLike} from '@tensorflow/tfjs-core';

import {BidirectionalOptions, bidirectionalRNN, PerDirection} from '../sequence/bidirectional.js';
import type {
  BidirectionalCombinedResultOf,
  BidirectionalOpOf,
  BidirectionalResultOf,
  BidirectionalStatesOf,
} from '../sequence/result_types.js';
import type {SingleGateConvRNNDescriptor} from '../contracts/image_descriptor.js';
import type {ConvStateLike} from './options.js';
import {convVariant} from './variant.js';

export interface SingleGateConvRNNBidirectionalOptions extends BidirectionalOptions {
  /**
   * Each stack's initial states, one per layer in array order (`[batch, height, width, units]`, null:
   * zeros). Absent: zeros, as MPS.
   */
  initialStates?: Partial<PerDirection<readonly ConvStateLike[] | null>> | null;
}

/** The states every bidirectional result carries. */
export type ConvBidirectionalStates = BidirectionalStatesOf<Tensor4D, Tensor5D>;
/** `bidirectionalCombineMode` 'none': the two last layers' outputs. */
export type SingleGateConvRNNBidirectionalResult = BidirectionalResultOf<Tensor4D, Tensor5D>;
/** 'add' or 'concatenate': one output. */
export type SingleGateConvRNNBidirectionalCombinedResult = BidirectionalCombinedResultOf<Tensor4D, Tensor5D>;
/** `singleGateConvRNNBidirectional`'s forms: one combined output, or both directions' outputs. */
export type SingleGateConvRNNBidirectionalOp = BidirectionalOpOf<
  SingleGateConvRNNDescriptor,
  SingleGateConvRNNBidirectionalOptions,
  Tensor5D,
  SingleGateConvRNNBidirectionalResult,
  SingleGateConvRNNBidirectionalCombinedResult
>;

function singleGateConvRNNBidirectional_(
  x: Tensor5D | TensorLike,
  descriptors: readonly SingleGateConvRNNDescriptor[],
  options: SingleGateConvRNNBidirectionalOptions = {},
): SingleGateConvRNNBidirectionalResult | SingleGateConvRNNBidirectionalCombinedResult {
  return bidirectionalRNN(x, descriptors, options, convVariant) as
    SingleGateConvRNNBidirectionalResult | SingleGateConvRNNBidirectionalCombinedResult;
}

/**
 * Encodes a batch of image sequences in both directions, as `singleGateRNNBidirectional` does for
 * matrices: the 'forward' descriptors form one stack and the 'backward' ones another, each from zero
 * state (or `options.initialStates`); the last layers' outputs are combined by
 * `options.bidirectionalCombineMode` ('concatenate' joins the channels).
 *
 * @param x `[batch, time, height, width, inputFeatureChannels]` float32.
 * @param descriptors Both stacks' layers, in any interleaving; each stack needs at least one.
 * @param options Combine mode, initial states per stack, mask, sequence lengths, intermediate states.
 *
 * @function
 * @example
 * const {output} = singleGateConvRNNBidirectional(x, [forwardLayer, backwardLayer], {
 *   bidirectionalCombineMode: 'concatenate',
 * }); // [batch, time, height, width, both layers' channels]
 */
export const singleGateConvRNNBidirectional = op({
  singleGateConvRNNBidirectional_,
}) as SingleGateConvRNNBidirectionalOp;
