/**
 * What the SingleGateRNN layer is called on: x, then its initial states (one, or two for a
 * bidirectional layer: forward then backward), then optionally the sequence lengths. The lengths are
 * told apart by their dtype, int32 against the states' float32: not by their rank, since a model
 * input of [batch] reaches the layer as [batch, 1] (tfjs' predict expands rank-1 inputs).
 *
 * The lengths become a mask on the device rather than the op's `sequenceLengths`, which reads them on
 * the host: a model's inputs reach the layer as GPU tensors (predict slices them into batches), and a
 * synchronous read there stalls the GPU (and is not always possible on webgpu).
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

export interface LayerInputs {
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

/** The lengths as a mask, and where each row's steps are valid, for x of `time` steps. */
export interface LengthsMask {
  /** [batch, time] bool: the upstream mask (if any) and t < L_n together, for the op's `mask`. */
  mask: Tensor2D;
  /** [batch, time, 1] bool: t < L_n, to zero the outputs past each row's end. */
  valid: Tensor3D;
}

/**
 * On the device: row n's steps t < L_n, with L_n clamped to 0 .. time (a value outside, which cannot
 * be checked without reading the lengths back, counts as the nearest end).
 */
export function lengthsMask(lengths: Tensor1D, time: number, upstream: Tensor2D | null): LengthsMask {
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
