/**
 * `singleGateRNNBidirectional`: MPS' `encodeBidirectionalSequence` for the matrix variant, the
 * sequence engine's bidirectional encoding (src/sequence/bidirectional.ts) run with `matrixVariant`,
 * whose directions pair in one kernel call where the backend can (pair_runs.ts).
 */
import {op, Tensor2D, Tensor3D, TensorLike} from '@tensorflow/tfjs-core';

import type {SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import {BidirectionalOptions, bidirectionalRNN, PerDirection} from '../sequence/bidirectional.js';
import type {
  BidirectionalCombinedResultOf,
  BidirectionalOpOf,
  BidirectionalResultOf,
  BidirectionalStatesOf,
} from '../sequence/result_types.js';
import type {StateLike} from './options.js';
import {matrixVariant} from './variant.js';

export interface SingleGateRNNBidirectionalOptions extends BidirectionalOptions {
  /**
   * Each stack's initial states, one per layer in array order ([batch, units], null: zeros). Absent:
   * zeros, as MPS.
   */
  initialStates?: Partial<PerDirection<readonly StateLike[] | null>> | null;
}

/** The states every bidirectional result carries. */
export type BidirectionalStates = BidirectionalStatesOf<Tensor2D, Tensor3D>;
/** `bidirectionalCombineMode` 'none': the two last layers' outputs. */
export type SingleGateRNNBidirectionalResult = BidirectionalResultOf<Tensor2D, Tensor3D>;
/** 'add' or 'concatenate': one output. */
export type SingleGateRNNBidirectionalCombinedResult = BidirectionalCombinedResultOf<Tensor2D, Tensor3D>;
/** `singleGateRNNBidirectional`'s forms: one combined output, or both directions' outputs. */
export type SingleGateRNNBidirectionalOp = BidirectionalOpOf<
  SingleGateRNNDescriptor,
  SingleGateRNNBidirectionalOptions,
  Tensor3D,
  SingleGateRNNBidirectionalResult,
  SingleGateRNNBidirectionalCombinedResult
>;

function singleGateRNNBidirectional_(
  x: Tensor3D | TensorLike,
  descriptors: readonly SingleGateRNNDescriptor[],
  options: SingleGateRNNBidirectionalOptions = {},
): SingleGateRNNBidirectionalResult | SingleGateRNNBidirectionalCombinedResult {
  return bidirectionalRNN(x, descriptors, options, matrixVariant) as
    SingleGateRNNBidirectionalResult | SingleGateRNNBidirectionalCombinedResult;
}

/**
 * Encodes a batch of sequences in both directions (MPS' `encodeBidirectionalSequence`): the descriptors
 * whose `layerSequenceDirection` is 'forward' form the forward stack, the 'backward' ones the backward
 * stack, each in array order and from zero state (or `options.initialStates`). The last layers' outputs
 * are combined by `options.bidirectionalCombineMode`.
 *
 * @param x [batch, time, inputFeatureChannels] float32.
 * @param descriptors Both stacks' layers, in any interleaving; each stack needs at least one.
 * @param options Combine mode, initial states per stack, mask, sequence lengths, intermediate states.
 *
 * @function
 * @example
 * const layer = (direction: 'forward' | 'backward') => ({
 *   inputFeatureChannels: 3,
 *   outputFeatureChannels: 4,
 *   layerSequenceDirection: direction,
 *   inputWeights: {weights: tf.randomNormal([4, 3]), neuron: {type: 'tanh' as const}},
 *   recurrentWeights: {weights: tf.randomNormal([4, 4])},
 * });
 * const {output} = singleGateRNNBidirectional(x, [layer('forward'), layer('backward')], {
 *   bidirectionalCombineMode: 'concatenate',
 * }); // [batch, time, 8]
 */
export const singleGateRNNBidirectional = op({singleGateRNNBidirectional_}) as SingleGateRNNBidirectionalOp;
