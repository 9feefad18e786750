/**
 * `singleGateRNNBidirectional`: MPS' `encodeBidirectionalSequence`. The descriptors going forward form
 * one stack and those going backward another, both over the same x, run layer pair by layer pair
 * (bidirectional_pairs.ts: both directions in the same dispatches where the backend can); the two last
 * layers' outputs are combined with tfjs ops.
 */
import {add, concat, op, Tensor, Tensor2D, Tensor3D, TensorLike} from '@tensorflow/tfjs-core';

import {checkKnownKeys, keysOf} from './config_keys.js';
import type {SequenceDirection, SingleGateRNNDescriptor} from './descriptor.js';
import type {SequenceLengths} from './sequence_lengths.js';
import {matrixVariant} from './single_gate_rnn.js';
import {
  AnyStateLike,
  asLayer,
  checkInitialStates,
  checkLengthsAtRead,
  checkStack,
  DirectionStack,
  RNNVariant,
  runStack,
  sequenceContext,
  StateLike,
} from './stack.js';
import {formatShape, formatValue, toFloatTensor} from './validate.js';

export type BidirectionalCombineMode = 'none' | 'add' | 'concatenate';

/** One value per direction: each stack's entries, layer 0 first. */
export type PerDirection<T> = {forward: T; backward: T};

export interface SingleGateRNNBidirectionalOptions {
  /**
   * Each stack's initial states, one per layer in array order ([batch, units], null: zeros). Absent:
   * zeros, as MPS.
   */
  initialStates?: Partial<PerDirection<readonly StateLike[] | null>> | null;
  /** 'none' (default): `outputForward` and `outputBackward`; 'add', 'concatenate' (forward first): `output`. */
  bidirectionalCombineMode?: BidirectionalCombineMode;
  /** As `singleGateRNN`'s, for both stacks. */
  mask?: Tensor2D | TensorLike | null;
  /** As `singleGateRNN`'s: a backward stack starts row n at x_{L_n - 1}. */
  sequenceLengths?: SequenceLengths | null;
  /** Also return every layer's state after every step, as `intermediateStates`. Default false. */
  storeAllIntermediateStates?: boolean;
}

/** The states every bidirectional result carries. */
export type BidirectionalStates = {
  /** Each layer's final state, per stack in array order. */
  finalStates: PerDirection<Tensor2D[]>;
  /** With `storeAllIntermediateStates`: each layer's state after every step, per stack. */
  intermediateStates?: PerDirection<Tensor3D[]>;
};

/** `bidirectionalCombineMode` 'none': the two last layers' outputs, [batch, time, units] each. */
export type SingleGateRNNBidirectionalResult = BidirectionalStates & {
  outputForward: Tensor3D;
  outputBackward: Tensor3D;
};

/** 'add' or 'concatenate': one [batch, time, units] output (units summed for 'concatenate'). */
export type SingleGateRNNBidirectionalCombinedResult = BidirectionalStates & {output: Tensor3D};

const OPTIONS_KEYS = keysOf<SingleGateRNNBidirectionalOptions>()({
  initialStates: true,
  bidirectionalCombineMode: true,
  mask: true,
  sequenceLengths: true,
  storeAllIntermediateStates: true,
});
const STATES_KEYS = keysOf<PerDirection<unknown>>()({forward: true, backward: true});
const MODES: readonly unknown[] = ['none', 'add', 'concatenate'] satisfies BidirectionalCombineMode[];
const DIRECTIONS: readonly SequenceDirection[] = ['forward', 'backward'];
const other = (direction: SequenceDirection): SequenceDirection =>
  direction === 'forward' ? 'backward' : 'forward';

/** Either variant's options: states of any rank. */
export type BidirectionalCallOptions = Omit<SingleGateRNNBidirectionalOptions, 'initialStates'> & {
  initialStates?: Partial<PerDirection<readonly AnyStateLike[] | null>> | null;
};

/** Either variant's result, with tensors of any rank; each op's own result types narrow it. */
export type AnyBidirectionalResult = {
  outputForward?: Tensor;
  outputBackward?: Tensor;
  output?: Tensor;
  finalStates: PerDirection<Tensor[]>;
  intermediateStates?: PerDirection<Tensor[]>;
};

function singleGateRNNBidirectional_(
  x: Tensor3D | TensorLike,
  descriptors: readonly SingleGateRNNDescriptor[],
  options: SingleGateRNNBidirectionalOptions = {},
): SingleGateRNNBidirectionalResult | SingleGateRNNBidirectionalCombinedResult {
  return bidirectionalRNN(x, descriptors, options, matrixVariant) as
    SingleGateRNNBidirectionalResult | SingleGateRNNBidirectionalCombinedResult;
}

/** Bidirectional encoding for either variant (`singleGateRNNBidirectional`, `singleGateConvRNNBidirectional`). */
export function bidirectionalRNN<D>(
  x: Tensor | TensorLike,
  descriptors: readonly D[],
  options: BidirectionalCallOptions,
  variant: RNNVariant<D>,
): AnyBidirectionalResult {
  checkKnownKeys(options, OPTIONS_KEYS, 'options');
  checkKnownKeys(options.initialStates, STATES_KEYS, 'options.initialStates');
  const mode = options.bidirectionalCombineMode ?? 'none';
  if (!MODES.includes(mode)) {
    throw new Error(
      `options.bidirectionalCombineMode must be 'none', 'add' or 'concatenate', got ${formatValue(mode)}`,
    );
  }
  if (!Array.isArray(descriptors)) {
    throw new Error(
      `descriptors must be an array of ${variant.descriptorName} (the forward and the backward layers), ` +
        `got ${formatValue(descriptors)}`,
    );
  }
  const $x = toFloatTensor(x, 'x');
  const rank = variant.sequenceRank;
  if ($x.rank !== rank) {
    // One step has nothing to run backward over; a stream is encoded forward with singleGateRNN.
    throw new Error(
      `x must be rank ${rank} ${variant.inputDims(rank)} for a bidirectional call, ` +
        `got rank ${$x.rank} with shape ${formatShape($x.shape)}`,
    );
  }
  const directions = (descriptors as readonly D[]).map(
    (descriptor, index) => asLayer(index, () => variant.checkDescriptor(descriptor)).layerSequenceDirection,
  );
  const context = sequenceContext($x, options);
  const stacks = DIRECTIONS.map((direction): DirectionStack<D> => {
    const indices = [...directions.keys()].filter((index) => directions[index] === direction);
    if (indices.length === 0) {
      throw new Error(
        `descriptors must hold at least one layer with layerSequenceDirection '${direction}' (the ` +
          `${direction} stack), got ${descriptors.length === 0 ? 'an empty array' : `only ${other(direction)} layers`}`,
      );
    }
    const layers = checkStack(
      descriptors as readonly D[],
      indices,
      $x,
      (k) => `the ${direction} stack's layer ${k}`,
      variant,
    );
    const initialStates = checkInitialStates(
      options.initialStates?.[direction],
      layers,
      $x,
      `options.initialStates.${direction}`,
      variant,
    );
    return {layers, initialStates};
  }) as [DirectionStack<D>, DirectionStack<D>];
  const [forward, backward] = variant.runDirections
    ? variant.runDirections($x, stacks, context)
    : stacks.map((stack) =>
        runStack($x, stack.layers, stack.initialStates, context, variant, (layer) => layer.index),
      );

  const checked = <T>(result: T): T => checkLengthsAtRead(context, $x.shape[1]!, result);
  const finalStates = {forward: forward.finalStates, backward: backward.finalStates};
  const states =
    forward.intermediateStates && backward.intermediateStates
      ? {intermediateStates: {forward: forward.intermediateStates, backward: backward.intermediateStates}}
      : {};
  if (mode === 'none') {
    return checked({outputForward: forward.output, outputBackward: backward.output, finalStates, ...states});
  }
  if (mode === 'concatenate')
    return checked({output: concat([forward.output, backward.output], rank - 1), finalStates, ...states});
  const [lastForward, lastBackward] = stacks.map((stack) => stack.layers.at(-1)!);
  const [forwardUnits, backwardUnits] = [lastForward, lastBackward].map((l) => l.attrs.outputFeatureChannels);
  if (forwardUnits !== backwardUnits) {
    throw new Error(
      "options.bidirectionalCombineMode 'add' needs the last forward and backward layers to have the " +
        `same outputFeatureChannels, got ${forwardUnits} (descriptors[${lastForward.index}]) and ` +
        `${backwardUnits} (descriptors[${lastBackward.index}])`,
    );
  }
  return checked({output: add(forward.output, backward.output), finalStates, ...states});
}

/** `singleGateRNNBidirectional`'s forms: one combined output, or both directions' outputs. */
export interface SingleGateRNNBidirectionalOp {
  (
    x: Tensor3D | TensorLike,
    descriptors: readonly SingleGateRNNDescriptor[],
    options: SingleGateRNNBidirectionalOptions & {bidirectionalCombineMode: 'add' | 'concatenate'},
  ): SingleGateRNNBidirectionalCombinedResult;
  (
    x: Tensor3D | TensorLike,
    descriptors: readonly SingleGateRNNDescriptor[],
    options?: SingleGateRNNBidirectionalOptions & {bidirectionalCombineMode?: 'none'},
  ): SingleGateRNNBidirectionalResult;
  (
    x: Tensor3D | TensorLike,
    descriptors: readonly SingleGateRNNDescriptor[],
    options?: SingleGateRNNBidirectionalOptions,
  ): SingleGateRNNBidirectionalResult | SingleGateRNNBidirectionalCombinedResult;
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
