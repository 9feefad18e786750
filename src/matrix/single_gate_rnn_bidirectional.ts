/**
 * `singleGateRNNBidirectional`: MPS' `encodeBidirectionalSequence` for the matrix variant, the
 * sequence engine's bidirectional encoding (src/sequence/bidirectional.ts) run with `matrixVariant`,
 * whose directions pair in one kernel call where the backend can (pair_runs.ts).
 */
import type {SingleGateRNNBidirectionalOp} from '../sequence/bidirectional_types.js';
import {bidirectionalOp} from '../sequence/bidirectional.js';
import {matrixVariant} from './variant.js';

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
export const singleGateRNNBidirectional = bidirectionalOp(
  'singleGateRNNBidirectional',
  matrixVariant,
) as SingleGateRNNBidirectionalOp;
