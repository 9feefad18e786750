/** The `mask` option as the kernels take it. */
import {notEqual, Tensor, Tensor2D, TensorLike} from '@tensorflow/tfjs-core';

import {checkNotDisposed, formatShape, tensorFrom} from './arguments.js';

/** `value` checked to be [batch, time], as a bool tensor (0/false skips a step). */
export function maskTensor(value: Tensor | TensorLike, batch: number, time: number): Tensor2D {
  if (value instanceof Tensor) checkNotDisposed(value, 'options.mask');
  const mask = value instanceof Tensor ? value : tensorFrom(value, 'options.mask');
  if (mask.dtype === 'string' || mask.dtype === 'complex64') {
    throw new Error(`options.mask must be a bool or numeric tensor, got dtype ${mask.dtype}`);
  }
  if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== time) {
    throw new Error(
      `options.mask must be [batch, time] = ${formatShape([batch, time])}, got ${formatShape(mask.shape)}`,
    );
  }
  // bool, so kernels see one dtype (a cast would not do: tfjs casts bool to float32 by relabelling).
  return (mask.dtype === 'bool' ? mask : notEqual(mask, 0)) as Tensor2D;
}
