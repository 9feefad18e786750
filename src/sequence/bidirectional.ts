/**
 * Bidirectional encoding (MPS' `encodeBidirectionalSequence`) for either variant: the descriptors going
 * forward form one stack and those going backward another, both over the same x, run one after the
 * other or, where the variant gives `runDirections`, layer pair by layer pair (the matrix variant's
 * src/matrix/pair_runs.ts: both directions in the same dispatches where the backend can); the two
 * last layers' outputs are combined with tfjs ops.
 */
import {add, concat, op, Tensor, Tensor2D, TensorLike} from '@tensorflow/tfjs-core';

import {formatShape, formatValue, toFloatTensor} from '../checks/arguments.js';
import {checkKnownKeys, keysOf} from '../checks/config_keys.js';
import type {SequenceDirection} from '../contracts/descriptor.js';
import {checkLengthsAtRead, sequenceContext} from './context.js';
import type {SequenceLengths} from './lengths.js';
import {runStack} from './stack.js';
import {checkInitialStates, checkStack} from './stack_checks.js';
import {asLayer, DirectionStack, RNNVariant} from './variant.js';

export type BidirectionalCombineMode = 'none' | 'add' | 'concatenate';

/** One value per direction: each stack's entries, layer 0 first. */
export type PerDirection<T> = {forward: T; backward: T};

/**
 * The options of both variants' bidirectional calls, over `S`, the variant's state (`[batch, units]`,
 * `[batch, height, width, units]`).
 */
export interface BidirectionalOptions<S extends Tensor = Tensor> {
  /** Each stack's initial states, one per layer in array order (null: zeros). Absent: zeros, as MPS. */
  initialStates?: Partial<PerDirection<ReadonlyArray<S | TensorLike | null | undefined> | null>> | null;
  /** 'none' (default): `outputForward` and `outputBackward`; 'add', 'concatenate' (forward first): `output`. */
  bidirectionalCombineMode?: BidirectionalCombineMode;
  /** As `singleGateRNN`'s, for both stacks. */
  mask?: Tensor2D | TensorLike | null;
  /** As `singleGateRNN`'s: a backward stack starts row n at x_{L_n - 1}. */
  sequenceLengths?: SequenceLengths | null;
  /** Also return every layer's state after every step, as `intermediateStates`. Default false. */
  storeAllIntermediateStates?: boolean;
}

/** Either variant's result, with tensors of any rank; each op's own result types narrow it. */
type AnyBidirectionalResult = {
  outputForward?: Tensor;
  outputBackward?: Tensor;
  output?: Tensor;
  finalStates: PerDirection<Tensor[]>;
  intermediateStates?: PerDirection<Tensor[]>;
};

const OPTIONS_KEYS = keysOf<BidirectionalOptions>()({
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

/** Bidirectional encoding for either variant (`singleGateRNNBidirectional`, `singleGateConvRNNBidirectional`). */
function bidirectionalRNN<D>(
  x: Tensor | TensorLike,
  descriptors: readonly D[],
  options: BidirectionalOptions,
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
  const attrs = (descriptors as readonly D[]).map((descriptor, index) =>
    asLayer(index, () => variant.checkDescriptor(descriptor)),
  );
  const directions = attrs.map((layer) => layer.layerSequenceDirection);
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
      attrs,
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
  variant.checkNotEmpty($x);
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

/**
 * A variant's bidirectional op: bidirectionalRNN with `variant`, wrapped by tfjs' `op` under `name`
 * (its scope in profiles and errors). Each op file casts it to its own overloads.
 */
export function bidirectionalOp<D>(
  name: string,
  variant: RNNVariant<D>,
): (
  x: Tensor | TensorLike,
  descriptors: readonly D[],
  options?: BidirectionalOptions,
) => AnyBidirectionalResult {
  const encode = (x: Tensor | TensorLike, descriptors: readonly D[], options: BidirectionalOptions = {}) =>
    bidirectionalRNN(x, descriptors, options, variant);
  return op({[`${name}_`]: encode});
}
