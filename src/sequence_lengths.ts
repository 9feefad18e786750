/**
 * `options.sequenceLengths`: row n consumes x_0 .. x_{L_n - 1} only. The lengths become the mask the
 * kernels already take (step t of row n counts where t < L_n); what the mask alone does not give (zeros
 * past a row's end) is done with tfjs ops by the caller.
 */
import {Tensor, Tensor1D, tensor2d, Tensor2D, TensorLike} from '@tensorflow/tfjs-core';

import {formatShape, tensorFrom} from './validate.js';

/** [batch] lengths: an int32 or float32 tensor, or numbers. */
export type SequenceLengths = Tensor1D | TensorLike;

/**
 * The lengths checked against [batch] and 0 <= L <= time, as host values. They are needed on the host
 * to check them (and they are only [batch]); a tensor is read with `dataSync`, which costs nothing for
 * a tensor made from values and is a small synchronous read for one computed on a GPU.
 */
export function checkSequenceLengths(value: SequenceLengths, batch: number, time: number): Int32Array {
  const argName = 'options.sequenceLengths';
  const lengths = value instanceof Tensor ? value : tensorFrom(value, argName);
  if (lengths.dtype !== 'int32' && lengths.dtype !== 'float32') {
    throw new Error(`${argName} must hold int32 or float32 numbers, got dtype ${lengths.dtype}`);
  }
  if (lengths.rank !== 1 || lengths.shape[0] !== batch) {
    throw new Error(
      `${argName} must be [batch] = ${formatShape([batch])}, got ${formatShape(lengths.shape)}`,
    );
  }
  const values = lengths.dataSync();
  values.forEach((length, n) => {
    if (!Number.isInteger(length) || length < 0 || length > time) {
      throw new Error(`${argName}[${n}] must be an integer from 0 to time = ${time}, got ${length}`);
    }
  });
  return Int32Array.from(values);
}

/** [batch, time] bool: true where t < lengths[n]. */
export function lengthsMask(lengths: Int32Array, time: number): Tensor2D {
  const mask = new Uint8Array(lengths.length * time);
  lengths.forEach((length, n) => mask.fill(1, n * time, n * time + length));
  return tensor2d(mask, [lengths.length, time], 'bool');
}
