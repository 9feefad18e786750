/**
 * What the SingleGateRNN layer is called on: x, then its initial states (one, or two for a
 * bidirectional layer: forward then backward), then optionally the sequence lengths. The lengths are
 * told apart by their dtype, int32 against the states' float32: not by their rank, since a model
 * input of [batch] reaches the layer as [batch, 1] (tfjs' predict expands rank-1 inputs).
 *
 * The lengths become a mask here rather than the op's `sequenceLengths`: the op checks each value
 * (and reports a bad one, at the call or when a result is read), while a model's lengths are data,
 * clamped to 0 .. time (`clampedLengthSteps`), and reach the layer as [batch, 1] GPU tensors that are
 * never read back.
 */
import {
  expandDims,
  less,
  logicalAnd,
  maximum,
  minimum,
  notEqual,
  range,
  reshape,
  Tensor,
  Tensor1D,
  Tensor2D,
  Tensor3D,
  where,
} from '@tensorflow/tfjs-core';

import {selectSteps} from '../sequence/step_selection.js';
import {formatShape} from '../checks/arguments.js';

interface LayerInputs {
  x: Tensor3D;
  /** Empty (zeros), or one per direction. */
  states: Tensor2D[];
  lengths: Tensor1D | null;
}

/** Splits the call's inputs; `at` names the layer in errors (ends with a space). */
export function splitLayerInputs(list: Tensor[], stateCount: number, at: string): LayerInputs {
  const [x, ...rest] = list;
  const last = rest.at(-1);
  const hasLengths = last != null && last.dtype === 'int32';
  const states = (hasLengths ? rest.slice(0, -1) : rest) as Tensor2D[];
  if (states.length !== 0 && states.length !== stateCount) {
    const form =
      stateCount === 1 ? 'x, [x, initialState]' : 'x, [x, forwardInitialState, backwardInitialState]';
    throw new Error(
      `${at}takes ${form}, each optionally followed by int32 sequenceLengths ([batch] or [batch, 1]); ` +
        `got ${states.length} initial state${states.length === 1 ? '' : 's'} among ${list.length} inputs`,
    );
  }
  if (!hasLengths) return {x: x as Tensor3D, states, lengths: null};
  if (last.rank > 2 || last.size !== x.shape[0] || (last.rank === 2 && last.shape[1] !== 1)) {
    throw new Error(
      `${at}sequenceLengths (its int32 last input) must be [batch] or [batch, 1] with batch = ` +
        `${x.shape[0]}, got ${formatShape(last.shape)}`,
    );
  }
  return {x: x as Tensor3D, states, lengths: reshape(last, [x.shape[0]])};
}

/**
 * The layer's lengths as steps, clamped: where the op's `sequenceLengths` (src/sequence/lengths.ts)
 * checks each value (at the call, or when a result is read), the layer clamps them, since a model's
 * lengths input is data, not an argument, and a value outside 0 .. time counts as the nearest end.
 */
interface ClampedLengthSteps {
  /** [batch, time] bool: the upstream mask (if any) and t < L_n together, for the op's `mask`. */
  mask: Tensor2D;
  /** [batch, time, 1] bool: t < L_n, to zero the outputs past each row's end. */
  valid: Tensor3D;
}

/**
 * On the device: row n's steps t < L_n, with L_n clamped to 0 .. time (a value outside, which cannot
 * be checked without reading the lengths back, counts as the nearest end).
 */
export function clampedLengthSteps(
  lengths: Tensor1D,
  time: number,
  upstream: Tensor2D | null,
): ClampedLengthSteps {
  const clamped = minimum(maximum(lengths, 0), time);
  const valid = less<Tensor2D>(expandDims(range(0, time, 1, 'int32'), 0), expandDims(clamped, 1));
  const mask = upstream == null ? valid : logicalAnd<Tensor2D>(notEqual(upstream, 0), valid);
  return {mask, valid: expandDims(valid, 2)};
}

/** `output` ([batch, time, units]) with zeros where `valid` is false. */
export function zeroPastEnd(output: Tensor3D, valid: Tensor3D): Tensor3D {
  const {inside, zeros} = selectSteps(valid, output);
  return where(inside, output, zeros) as Tensor3D;
}
