/**
 * `singleGateConvRNNBidirectional`: MPS' `encodeBidirectionalSequence` for the image variant, the
 * sequence engine's bidirectional encoding (src/sequence/bidirectional.ts) run with `convVariant`.
 */
import type {SingleGateConvRNNBidirectionalOp} from '../sequence/bidirectional_types.js';
import {bidirectionalOp} from '../sequence/bidirectional.js';
import {convVariant} from './variant.js';

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
export const singleGateConvRNNBidirectional = bidirectionalOp(
  'singleGateConvRNNBidirectional',
  convVariant,
) as SingleGateConvRNNBidirectionalOp;
