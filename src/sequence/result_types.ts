/**
 * The result types both variants' sequence calls share, over `S` (one state: [batch, units] or
 * [batch, height, width, units]) and `Q` (a state per step: [batch, time, ...]). Each op names its
 * own instances (`SingleGateRNNStackResult` = `StackResultOf<Tensor2D, Tensor3D>`; the bidirectional
 * ones in bidirectional_types.ts).
 */
import type {Tensor, TensorLike} from '@tensorflow/tfjs-core';

import type {PerDirection} from './bidirectional.js';

/** The result of a stack call (an array of descriptors). */
export type StackResultOf<S extends Tensor, Q extends Tensor> = {
  /** The last layer's output. */
  output: Q;
  /** The last layer's final state: the same tensor as the last entry of `finalStates`. */
  finalState: S;
  /** Each layer's final state, layer 0 first. */
  finalStates: S[];
  /** With `storeAllIntermediateStates`: each layer's state after every step, layer 0 first. */
  intermediateStates?: Q[];
};

/** The states every bidirectional result carries. */
export type BidirectionalStatesOf<S extends Tensor, Q extends Tensor> = {
  /** Each layer's final state, per stack in array order. */
  finalStates: PerDirection<S[]>;
  /** With `storeAllIntermediateStates`: each layer's state after every step, per stack. */
  intermediateStates?: PerDirection<Q[]>;
};

/** `bidirectionalCombineMode` 'none': the two last layers' outputs. */
export type BidirectionalResultOf<S extends Tensor, Q extends Tensor> = BidirectionalStatesOf<S, Q> & {
  outputForward: Q;
  outputBackward: Q;
};

/** 'add' or 'concatenate' (along the channels, forward first): one output. */
export type BidirectionalCombinedResultOf<S extends Tensor, Q extends Tensor> = BidirectionalStatesOf<
  S,
  Q
> & {
  output: Q;
};

/**
 * A bidirectional op's forms: one combined output (`C`), or both directions' outputs (`R`), for
 * descriptors `D` and options `O`; x is a sequence as R's outputs are. The results come in as the op's
 * own named types, so its signature reads with their names.
 */
export interface BidirectionalOpOf<D, O, R extends {outputForward: Tensor}, C> {
  (
    x: R['outputForward'] | TensorLike,
    descriptors: readonly D[],
    options: O & {bidirectionalCombineMode: 'add' | 'concatenate'},
  ): C;
  (
    x: R['outputForward'] | TensorLike,
    descriptors: readonly D[],
    options?: O & {bidirectionalCombineMode?: 'none'},
  ): R;
  (x: R['outputForward'] | TensorLike, descriptors: readonly D[], options?: O): R | C;
}
