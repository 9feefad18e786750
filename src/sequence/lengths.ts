/**
 * `options.sequenceLengths`: row n consumes x_0 .. x_{L_n - 1} only. The lengths become the mask the
 * kernels already take (step t of row n counts where t < L_n); what the mask alone does not give (zeros
 * past a row's end) is done with tfjs ops by the caller.
 *
 * Where the lengths live decides where they are checked. Numbers are checked on the host and the mask
 * is made there (nothing is read back). A tensor is checked for dtype and shape at the call; its values
 * are checked at the call only on backends whose tensors live in host memory (cpu, wasm). On a GPU
 * backend the mask is made from the tensor on the device, without reading it back (that would stall
 * the call until the GPU is idle), and a bad value is reported when a result of the call is first read:
 * the read rejects (dataSync throws) with the same message (see deferred_checks.ts). A read of a
 * tensor computed from those results does not pass through that check, so the results are also made
 * NaN on the device when any length is invalid (`poisonIfInvalid`): a sum of the output, or any other
 * derived value, can never pass for the result of valid lengths.
 */
import {
  any,
  equal,
  expandDims,
  fill,
  floor,
  getBackend,
  greater,
  less,
  logicalAnd,
  logicalNot,
  logicalOr,
  range,
  reshape,
  Tensor,
  Tensor1D,
  tensor2d,
  Tensor2D,
  TensorLike,
  util,
  where,
} from '@tensorflow/tfjs-core';

import {checkNotDisposed, formatShape} from '../checks/arguments.js';

/** [batch] lengths: an int32 or float32 tensor, or numbers. */
export type SequenceLengths = Tensor1D | TensorLike;

const ARG = 'options.sequenceLengths';

/** Backends whose tensors live in host memory: reading them costs no GPU round trip. */
const HOST_BACKENDS: readonly string[] = ['cpu', 'wasm'];

/** The lengths as [batch, time] bool (true where t < L_n), and how to check values not yet checked. */
interface LengthsMask {
  mask: Tensor2D;
  /** A tensor whose values were not read: check them (`checkLengthValues`) before a result is read. */
  unchecked: Tensor | null;
}

/** Throws the message of the first length that is not an integer in [0, time]. */
export function checkLengthValues(values: ArrayLike<number>, time: number): void {
  for (let n = 0; n < values.length; n++) {
    const length = values[n];
    if (!Number.isInteger(length) || length < 0 || length > time) {
      throw new Error(`${ARG}[${n}] must be an integer from 0 to time = ${time}, got ${length}`);
    }
  }
}

function checkShape(shape: readonly number[], batch: number): void {
  if (shape.length !== 1 || shape[0] !== batch) {
    throw new Error(`${ARG} must be [batch] = ${formatShape([batch])}, got ${formatShape(shape)}`);
  }
}

/** [batch, time] bool: true where t < lengths[n], made on the host. */
function hostMask(lengths: ArrayLike<number>, time: number): Tensor2D {
  const mask = new Uint8Array(lengths.length * time);
  for (let n = 0; n < lengths.length; n++) mask.fill(1, n * time, n * time + lengths[n]);
  return tensor2d(mask, [lengths.length, time], 'bool');
}

/** The lengths checked against [batch] (and, where they can be read for free, 0 <= L <= time) as a mask. */
export function lengthsMask(value: SequenceLengths, batch: number, time: number): LengthsMask {
  if (!(value instanceof Tensor)) {
    const values = hostValues(value);
    checkShape(values.shape, batch);
    checkLengthValues(values.flat, time);
    return {mask: hostMask(values.flat, time), unchecked: null};
  }
  checkNotDisposed(value, ARG);
  if (value.dtype !== 'int32' && value.dtype !== 'float32') {
    throw new Error(`${ARG} must hold int32 or float32 numbers, got dtype ${value.dtype}`);
  }
  checkShape(value.shape, batch);
  if (HOST_BACKENDS.includes(getBackend())) {
    const values = value.dataSync();
    checkLengthValues(values, time);
    return {mask: hostMask(values, time), unchecked: null};
  }
  const steps = expandDims(range(0, time, 1, value.dtype), 0);
  return {mask: less<Tensor2D>(steps, expandDims(value, 1)), unchecked: value};
}

/** Numbers as given (a number array, nested or not, or a typed array): their shape and values. */
function hostValues(value: TensorLike): {shape: number[]; flat: number[]} {
  if (ArrayBuffer.isView(value))
    return {shape: [(value as ArrayLike<number>).length], flat: Array.from(value as ArrayLike<number>)};
  if (!Array.isArray(value)) {
    throw new Error(`${ARG} must be a [batch] tensor or array of numbers, got ${typeof value}`);
  }
  const shape: number[] = [];
  for (let level: unknown = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  const flat: unknown[] = util.flatten(value);
  const other = flat.find((v) => typeof v !== 'number');
  if (other !== undefined) throw new Error(`${ARG} must hold numbers, got ${typeof other}`);
  return {shape, flat: flat as number[]};
}

/** A scalar bool on the device: whether any length is not an integer in [0, time] (NaN included). */
function anyInvalid(lengths: Tensor, time: number): Tensor {
  const inRange = logicalAnd(logicalNot(less(lengths, 0)), logicalNot(greater(lengths, time)));
  // NaN fails equal(NaN, NaN), so it counts as invalid along with fractions.
  const whole = lengths.dtype === 'int32' ? inRange : logicalAnd(inRange, equal(lengths, floor(lengths)));
  return any(logicalNot(whole));
}

/**
 * Every tensor of `results` (found in nested objects and arrays) replaced by NaN of its shape where
 * `lengths` (unread, on the device) holds an invalid value, and by itself otherwise. Computed on the
 * device from full-shape operands (see step_select.ts for why nothing is broadcast from the host).
 */
export function poisonIfInvalid<T>(lengths: Tensor, time: number, results: T): T {
  const invalid = anyInvalid(lengths, time);
  // A tensor that appears twice (finalState is also the last of finalStates) stays one tensor.
  const done = new Map<Tensor, Tensor>();
  const poison = (value: unknown): unknown => {
    if (value instanceof Tensor) {
      const tensor = value as Tensor;
      const known = done.get(tensor);
      if (known != null) return known;
      // Flat, since the GPU backends' select stops at rank 4 (images are rank 5). The condition at
      // the value's size, by a broadcasting op on the device; equal(v, v) is false only at a NaN of
      // v, which stays NaN either way.
      const flat = reshape(tensor, [-1]);
      const everywhere = logicalOr(invalid, logicalNot(equal(flat, flat)));
      const poisoned = reshape(where(everywhere, fill([flat.size], NaN, tensor.dtype), flat), tensor.shape);
      done.set(tensor, poisoned);
      return poisoned;
    }
    if (Array.isArray(value)) return value.map(poison);
    if (value != null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, poison(v)]));
    }
    return value;
  };
  return poison(results) as T;
}
