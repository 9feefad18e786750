/**
 * Stacks of layers, sequence lengths and single steps: one kernel call per layer, each layer's output
 * feeding the next on the device (no read back between layers); what the kernels' mask does not give
 * is done with tfjs ops. `singleGateRNN` routes here for an array of descriptors, a rank-2 x or
 * `options.sequenceLengths`; `singleGateRNNBidirectional` runs two stacks through `runStack`. The image
 * variant (`singleGateConvRNN`, `singleGateConvRNNBidirectional`) runs the same code: an `RNNVariant`
 * says what differs (the descriptor's checks, x's and a state's shapes, the one-layer call).
 */
import {
  expandDims,
  logicalAnd,
  reshape,
  Tensor,
  Tensor2D,
  Tensor3D,
  TensorLike,
  where,
} from '@tensorflow/tfjs-core';

import type {SingleGateRNNDescriptor} from './descriptor.js';
import type {SingleGateRNNAttrs} from './kernel_names.js';
import {maskTensor} from './mask.js';
import {deferCheck} from './deferred_checks.js';
import {checkLengthValues, lengthsMask, poisonIfInvalid, SequenceLengths} from './sequence_lengths.js';
import {selectSteps} from './step_select.js';
import type {SingleGateRNNOptions, SingleGateRNNResult} from './single_gate_rnn.js';
import {checkBoolean, checkedFloatTensor, formatShape, toFloatTensor} from './validate.js';

/** A recurrent input state as the options take it: null or absent means zeros. */
export type StateLike = Tensor2D | TensorLike | null | undefined;

/** A state of either variant ([batch, units] or [batch, height, width, units]); null or absent: zeros. */
export type AnyStateLike = Tensor | TensorLike | null | undefined;

/**
 * What differs between the matrix op and the image op for stacks, sequence lengths and bidirectional
 * encoding. `D` is the variant's descriptor type. (Methods, not function-valued fields, so a variant's
 * own narrower tensor types are accepted.)
 */
export interface RNNVariant<D> {
  /** The descriptor type's name, for errors. */
  readonly descriptorName: string;
  /** The rank of x as a sequence: 3 for matrices, 5 for images. */
  readonly sequenceRank: number;
  /** x's dimensions for `rank` as errors show them: '[batch, time, inputFeatureChannels]'. */
  inputDims(rank: number): string;
  /** x as a sequence, and whether it was one step (the matrix op's rank-2 x); any other x throws. */
  asSequence(x: Tensor): {sequence: Tensor; step: boolean};
  /** The single-descriptor checks, resolving the kernel attributes. */
  checkDescriptor(descriptor: D): SingleGateRNNAttrs;
  /** The shape of a state of `units` channels for a sequence x. */
  stateShape(sequence: Tensor, units: number): number[];
  /** A state's dimensions as errors show them, `units` naming its channel count. */
  stateDims(units: string): string;
  /** One layer over a whole sequence: one kernel call, or the portable path. */
  single(
    sequence: Tensor,
    descriptor: D,
    options: {initialState: AnyStateLike; mask: Tensor2D | null},
  ): {output: Tensor; finalState: Tensor};
  /**
   * Both stacks of a bidirectional call over the same x, [forward, backward]. Absent: each stack by
   * `runStack`, one after the other.
   */
  runDirections?(
    sequence: Tensor,
    stacks: [DirectionStack<D>, DirectionStack<D>],
    context: SequenceContext,
  ): [StackRun, StackRun];
}

/** One direction's stack in a bidirectional call: its layers and their initial states. */
export interface DirectionStack<D = SingleGateRNNDescriptor> {
  layers: Array<StackLayer<D>>;
  initialStates: AnyStateLike[];
}

/** One layer of a stack: its place in the caller's array and its resolved attributes. */
export interface StackLayer<D = SingleGateRNNDescriptor> {
  index: number;
  descriptor: D;
  attrs: SingleGateRNNAttrs;
}

/**
 * Runs `fn`, naming descriptor `index` in its errors: the single-layer checks say `descriptor.…`, which
 * in an array is `descriptors[index].…`. Errors that do not name the descriptor pass unchanged.
 */
export function asLayer<T>(index: number | null, fn: () => T): T {
  if (index == null) return fn();
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    const message = e.message.replace(/\bdescriptor(?=[.\s])/g, `descriptors[${index}]`);
    if (message === e.message) throw e;
    throw new Error(message, {cause: e});
  }
}

/** x as [batch, time, channels], and whether it was one step ([batch, channels]): the matrix op's. */
export function asSequence(x: Tensor): {sequence: Tensor; step: boolean} {
  if (x.rank === 3) return {sequence: x, step: false};
  if (x.rank === 2) return {sequence: reshape(x, [x.shape[0], 1, x.shape[1]!]), step: true};
  throw new Error(
    'x must be rank 3 [batch, time, inputFeatureChannels] or rank 2 [batch, inputFeatureChannels] ' +
      `(one step), got rank ${x.rank} with shape ${formatShape(x.shape)}`,
  );
}

/**
 * Checks the descriptors at `indices` of `descriptors` as one stack fed by x: each one's own checks,
 * then that its input channels are x's (the first) or the previous layer's output channels.
 * `layerName(k)` says which layer k of this stack is, for the chaining message.
 */
export function checkStack<D>(
  descriptors: readonly D[] | D,
  indices: number[],
  x: Tensor,
  layerName: (k: number) => string,
  variant: RNNVariant<D>,
): Array<StackLayer<D>> {
  const stacked = Array.isArray(descriptors);
  const list: readonly D[] = stacked ? descriptors : [descriptors as D];
  const channels = x.shape[x.rank - 1];
  let previous: StackLayer<D> | null = null;
  return indices.map((index, k) => {
    const descriptor = list[index];
    const attrs = asLayer(stacked ? index : null, () => variant.checkDescriptor(descriptor));
    const inputChannels = attrs.inputFeatureChannels;
    if (previous == null && inputChannels !== channels) {
      const dims = variant.inputDims(x.rank);
      const source = stacked ? `descriptors[${index}].inputFeatureChannels = ` : '';
      throw new Error(
        `x must be ${dims} with inputFeatureChannels = ${source}${inputChannels}, got ${formatShape(x.shape)}`,
      );
    }
    if (previous != null && inputChannels !== previous.attrs.outputFeatureChannels) {
      throw new Error(
        `descriptors[${index}].inputFeatureChannels must equal descriptors[${previous.index}].` +
          `outputFeatureChannels = ${previous.attrs.outputFeatureChannels} (${layerName(k)} takes ` +
          `${layerName(k - 1)}'s output), got ${inputChannels}`,
      );
    }
    previous = {index, descriptor, attrs};
    return previous;
  });
}

/**
 * Per-layer initial states for a stack over `sequence`: an array with one entry per layer (null:
 * zeros), or one tensor for a one-layer stack. `argName` names the option in errors.
 */
export function checkInitialStates<D>(
  value: AnyStateLike | readonly AnyStateLike[],
  layers: Array<StackLayer<D>>,
  sequence: Tensor,
  argName: string,
  variant: RNNVariant<D>,
): Array<Tensor | null> {
  if (value == null) return layers.map(() => null);
  const entries = Array.isArray(value) ? (value as readonly AnyStateLike[]) : null;
  if (entries == null && !(value instanceof Tensor)) {
    throw new Error(
      `${argName} must be an array with one state per layer (${layers.length}), got ${typeof value}`,
    );
  }
  if (entries == null && layers.length !== 1) {
    throw new Error(
      `${argName} must be an array with one state per layer (${layers.length} layers), got one tensor`,
    );
  }
  if (entries != null && entries.length !== layers.length) {
    throw new Error(
      `${argName} must have one state per layer (${layers.length}), got ${entries.length} entries`,
    );
  }
  return layers.map((layer, k) => {
    const state = entries == null ? (value as Tensor) : entries[k];
    if (state == null) return null;
    const units = layer.attrs.outputFeatureChannels;
    return checkedFloatTensor(
      state,
      entries == null ? argName : `${argName}[${k}]`,
      variant.stateShape(sequence, units),
      variant.stateDims(`descriptors[${layer.index}].outputFeatureChannels`),
    );
  });
}

/** What every layer of a call shares. */
export interface SequenceContext {
  /** The kernels' mask: the caller's mask and the sequence lengths together; null: every step counts. */
  mask: Tensor2D | null;
  /** `[batch, time, 1]`, true where t < L_n; null without sequence lengths. */
  valid: Tensor3D | null;
  storeAll: boolean;
  /** Sequence lengths whose values are checked when a result is read (see sequence_lengths.ts). */
  uncheckedLengths: Tensor | null;
}

/** Makes the call's results carry the check of lengths not checked at the call, if any. */
export function checkLengthsAtRead<T>(context: SequenceContext, time: number, results: T): T {
  if (context.uncheckedLengths == null) return results;
  // Derived reads bypass the check: invalid lengths make every result NaN on the device as well.
  const poisoned = poisonIfInvalid(context.uncheckedLengths, time, results);
  deferCheck(
    context.uncheckedLengths,
    (values) => checkLengthValues(values as ArrayLike<number>, time),
    poisoned,
  );
  return poisoned;
}

export interface SequenceContextOptions {
  mask?: Tensor2D | TensorLike | null;
  sequenceLengths?: SequenceLengths | null;
  storeAllIntermediateStates?: boolean;
}

export function sequenceContext(sequence: Tensor, options: SequenceContextOptions): SequenceContext {
  const [batch, time] = sequence.shape;
  const storeAll = checkBoolean(
    options.storeAllIntermediateStates,
    'options.storeAllIntermediateStates',
    false,
  );
  const userMask = options.mask == null ? null : maskTensor(options.mask, batch, time);
  if (options.sequenceLengths == null) return {mask: userMask, valid: null, storeAll, uncheckedLengths: null};
  const lengths = lengthsMask(options.sequenceLengths, batch, time);
  return {
    mask: userMask == null ? lengths.mask : logicalAnd<Tensor2D>(userMask, lengths.mask),
    valid: expandDims<Tensor3D>(lengths.mask, 2),
    storeAll,
    uncheckedLengths: lengths.unchecked,
  };
}

/** One stack's results: the last layer's output, every layer's final state (and every step's). */
export interface StackRun {
  output: Tensor;
  finalStates: Tensor[];
  intermediateStates?: Tensor[];
}

/**
 * Runs the layers in order, each in its own direction, each kernel call's output feeding the next.
 * With sequence lengths, the mask stops each row after its end; past it, outputs become zeros and
 * intermediate states the row's final state (see `finishLayer`).
 *
 * Layer after layer, not as a wavefront (layer l at step t while layer l + 1 is at step t - 1, in one
 * dispatch): its nearest measurable form, two independent recurrences in the same dispatches (the
 * bidirectional pair kernel), gained nothing over two calls on SwiftShader (numbers in
 * bidirectional_pairs.ts), and a wavefront adds a cross-layer dependency to that. A wavefront shader
 * was not built; on a GPU it would overlap layers the way pairs overlap directions, worth timing there.
 */
export function runStack<D>(
  sequence: Tensor,
  layers: Array<StackLayer<D>>,
  initialStates: AnyStateLike[],
  context: SequenceContext,
  variant: RNNVariant<D>,
  name: (layer: StackLayer<D>) => number | null,
): StackRun {
  let input = sequence;
  const finalStates: Tensor[] = [];
  const intermediateStates: Tensor[] = [];
  layers.forEach((layer, k) => {
    const run = asLayer(name(layer), () =>
      variant.single(input, layer.descriptor, {initialState: initialStates[k], mask: context.mask}),
    );
    input = finishLayer(run, context, finalStates, intermediateStates);
  });
  return stackRun(input, finalStates, intermediateStates, context);
}

/**
 * One layer's kernel result made into what the caller sees: its final state appended to
 * `finalStates`, its intermediate states (if stored) to `intermediateStates`; returns its output,
 * the next layer's input. With sequence lengths the kernel gives the carried state past a row's end
 * (the last state going forward, but the initial state going backward, since a backward row starts
 * at x_{L_n - 1}), so outputs there become zeros and intermediate states the row's final state.
 */
export function finishLayer(
  run: {output: Tensor; finalState: Tensor},
  context: SequenceContext,
  finalStates: Tensor[],
  intermediateStates: Tensor[],
): Tensor {
  const {valid, storeAll} = context;
  finalStates.push(run.finalState);
  if (valid == null) {
    if (storeAll) intermediateStates.push(run.output.clone());
    return run.output;
  }
  // Selected as [batch, time, rest], whatever a state's shape: webgpu's select stops at rank 4.
  const [batch, time] = run.output.shape;
  const output = reshape(run.output, [batch, time, -1]);
  const {inside, zeros} = selectSteps(valid, output);
  if (storeAll) {
    // The final state's tile runs where the state lives: it comes from the kernel.
    const final = reshape(run.finalState, [batch, 1, -1]);
    intermediateStates.push(reshape(where(inside, output, final), run.output.shape));
  }
  return reshape(where(inside, output, zeros), run.output.shape);
}

/** A stack's result from its last output and the states `finishLayer` collected. */
export function stackRun(
  output: Tensor,
  finalStates: Tensor[],
  intermediateStates: Tensor[],
  context: SequenceContext,
): StackRun {
  return context.storeAll ? {output, finalStates, intermediateStates} : {output, finalStates};
}

/** The options of `singleGateRNN` with an array of descriptors (a stack). */
export interface SingleGateRNNStackOptions extends Omit<SingleGateRNNOptions, 'initialState'> {
  /**
   * One entry per layer, layer 0 first ([batch, that layer's outputFeatureChannels], null: zeros), or
   * one tensor for a one-layer stack. In this form an array is always per layer.
   */
  initialState?: Tensor2D | readonly StateLike[] | null;
}

/** The result of `singleGateRNN` with an array of descriptors (a stack). */
export type SingleGateRNNStackResult = {
  /** `[batch, time, units]`: the last layer's output. */
  output: Tensor3D;
  /** The last layer's final state: the same tensor as the last entry of `finalStates`. */
  finalState: Tensor2D;
  /** Each layer's final state, layer 0 first. */
  finalStates: Tensor2D[];
  /** With `storeAllIntermediateStates`: each layer's state after every step, layer 0 first. */
  intermediateStates?: Tensor3D[];
};

/** One step (x of rank 2) with one descriptor. */
export type SingleGateRNNStepResult = {
  /** `[batch, units]`: h after the step, equal to `finalState`. */
  output: Tensor2D;
  finalState: Tensor2D;
  intermediateStates?: Tensor2D;
};

/** One step (x of rank 2) through a stack. */
export type SingleGateRNNStackStepResult = {
  output: Tensor2D;
  finalState: Tensor2D;
  finalStates: Tensor2D[];
  intermediateStates?: Tensor2D[];
};

export type AnySingleGateRNNResult =
  SingleGateRNNResult | SingleGateRNNStackResult | SingleGateRNNStepResult | SingleGateRNNStackStepResult;

/** The options of a stack call of either variant (states per layer). */
export interface StackCallOptions extends SequenceContextOptions {
  initialState?: AnyStateLike | readonly AnyStateLike[];
}

/**
 * `singleGateRNN` (and `singleGateConvRNN`) for a stack, a single step or sequence lengths. The result
 * has the matrix op's types; the image op casts it to its own.
 */
export function sequenceRNN<D>(
  x: Tensor | TensorLike,
  descriptors: D | readonly D[],
  options: StackCallOptions,
  variant: RNNVariant<D>,
): AnySingleGateRNNResult {
  const stacked = Array.isArray(descriptors);
  if (stacked && descriptors.length === 0) {
    throw new Error(`descriptors must hold at least one ${variant.descriptorName} (layer 0 first), got []`);
  }
  const $x = toFloatTensor(x, 'x');
  const {sequence, step} = variant.asSequence($x);
  const count = stacked ? descriptors.length : 1;
  const layers = checkStack(descriptors, [...Array(count).keys()], $x, (k) => `layer ${k}`, variant);
  const initialStates: AnyStateLike[] = stacked
    ? checkInitialStates(options.initialState, layers, sequence, 'options.initialState', variant)
    : [options.initialState as AnyStateLike];
  const context = sequenceContext(sequence, options);
  const run = runStack(sequence, layers, initialStates, context, variant, (layer) =>
    stacked ? layer.index : null,
  );
  const finalState = run.finalStates[count - 1];
  // A step's outputs and states are [batch, units]: the time axis of length 1 goes.
  const shaped = (t: Tensor): Tensor => (step ? reshape(t, [t.shape[0], t.shape[2]!]) : t);
  const output = shaped(run.output);
  const states = run.intermediateStates?.map(shaped);
  if (!stacked) {
    return checkLengthsAtRead(
      context,
      sequence.shape[1]!,
      (states
        ? {output, finalState, intermediateStates: states[0]}
        : {output, finalState}) as AnySingleGateRNNResult,
    );
  }
  const result = {output, finalState, finalStates: run.finalStates};
  return checkLengthsAtRead(
    context,
    sequence.shape[1]!,
    (states ? {...result, intermediateStates: states} : result) as AnySingleGateRNNResult,
  );
}
