/**
 * What every layer of a sequence call shares: the kernels' mask (the caller's mask and the sequence
 * lengths together), which steps are inside each row, and the lengths whose values are checked when a
 * result is read.
 */
import {expandDims, logicalAnd, Tensor, Tensor2D, Tensor3D, TensorLike} from '@tensorflow/tfjs-core';

import {checkBoolean} from '../checks/arguments.js';
import {maskTensor} from '../checks/mask.js';
import {deferCheck} from './deferred_checks.js';
import {checkLengthValues, lengthsMask, poisonIfInvalid, SequenceLengths} from './lengths.js';

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
