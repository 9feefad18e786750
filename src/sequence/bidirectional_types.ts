/**
 * The bidirectional ops' public types, both variants' side by side: each an instance of a generic
 * both share (BidirectionalOptions, result_types.ts), named so that the API reference shows the names
 * in the ops' signatures. The matrix op (`singleGateRNNBidirectional`) has states `[batch, units]` and
 * sequences `[batch, time, units]`; the image op (`singleGateConvRNNBidirectional`) has
 * `[batch, height, width, units]` and `[batch, time, height, width, units]`.
 */
import type {Tensor2D, Tensor3D, Tensor4D, Tensor5D} from '@tensorflow/tfjs-core';

import type {SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import type {SingleGateConvRNNDescriptor} from '../contracts/image_descriptor.js';
import type {BidirectionalOptions} from './bidirectional.js';
import type {BidirectionalCombinedResultOf, BidirectionalOpOf} from './result_types.js';
import type {BidirectionalResultOf, BidirectionalStatesOf} from './result_types.js';

/** `singleGateRNNBidirectional`'s options: initial states `[batch, units]`. */
export type SingleGateRNNBidirectionalOptions = BidirectionalOptions<Tensor2D>;
/** `singleGateConvRNNBidirectional`'s options: initial states `[batch, height, width, units]`. */
export type SingleGateConvRNNBidirectionalOptions = BidirectionalOptions<Tensor4D>;

/** The states every result of `singleGateRNNBidirectional` carries. */
export type BidirectionalStates = BidirectionalStatesOf<Tensor2D, Tensor3D>;
/** The states every result of `singleGateConvRNNBidirectional` carries. */
export type ConvBidirectionalStates = BidirectionalStatesOf<Tensor4D, Tensor5D>;

/** `bidirectionalCombineMode` 'none': the two last layers' outputs. */
export type SingleGateRNNBidirectionalResult = BidirectionalResultOf<Tensor2D, Tensor3D>;
/** `bidirectionalCombineMode` 'none': the two last layers' outputs. */
export type SingleGateConvRNNBidirectionalResult = BidirectionalResultOf<Tensor4D, Tensor5D>;

/** 'add' or 'concatenate': one output. */
export type SingleGateRNNBidirectionalCombinedResult = BidirectionalCombinedResultOf<Tensor2D, Tensor3D>;
/** 'add' or 'concatenate' (along the channels): one output. */
export type SingleGateConvRNNBidirectionalCombinedResult = BidirectionalCombinedResultOf<Tensor4D, Tensor5D>;

/** `singleGateRNNBidirectional`'s forms: one combined output, or both directions' outputs. */
export type SingleGateRNNBidirectionalOp = BidirectionalOpOf<
  SingleGateRNNDescriptor,
  SingleGateRNNBidirectionalOptions,
  SingleGateRNNBidirectionalResult,
  SingleGateRNNBidirectionalCombinedResult
>;
/** `singleGateConvRNNBidirectional`'s forms: one combined output, or both directions' outputs. */
export type SingleGateConvRNNBidirectionalOp = BidirectionalOpOf<
  SingleGateConvRNNDescriptor,
  SingleGateConvRNNBidirectionalOptions,
  SingleGateConvRNNBidirectionalResult,
  SingleGateConvRNNBidirectionalCombinedResult
>;
