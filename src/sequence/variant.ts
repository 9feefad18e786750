/**
 * What the sequence engine (stacks, sequence lengths, single steps, bidirectional encoding) needs to
 * know of a variant, and the layer records it passes around. The matrix op (src/matrix) and the image
 * op (src/image) each give one `RNNVariant`; the engine runs the same code for both.
 */
import type {Tensor, Tensor2D, TensorLike} from '@tensorflow/tfjs-core';

import type {SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import type {SingleGateRNNAttrs} from '../contracts/matrix_kernel.js';
import type {SequenceContext} from './context.js';

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
  /** Throws where the sequence has nothing to run over (no row, no step, for images no pixel). */
  checkNotEmpty(sequence: Tensor): void;
  /**
   * One layer over a whole sequence (one kernel call, or the portable path), from checked pieces: the
   * layer's attributes, its initial state (null: zeros) and the call's mask.
   */
  single(
    sequence: Tensor,
    layer: StackLayer<D>,
    options: {initialState: Tensor | null; mask: Tensor2D | null},
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
  /** Checked, one per layer; null: zeros. */
  initialStates: Array<Tensor | null>;
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

/** One stack's results: the last layer's output, every layer's final state (and every step's). */
export interface StackRun {
  output: Tensor;
  finalStates: Tensor[];
  intermediateStates?: Tensor[];
}
