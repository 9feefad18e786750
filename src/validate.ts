/** Argument checks whose messages name the argument and show expected vs got. */
import {Tensor, tensor, TensorLike} from '@tensorflow/tfjs-core';

/** A shape as errors show it, unknown dimensions as null: [null, 6, 5]. */
export function formatShape(shape: ReadonlyArray<number | null>): string {
  return `[${shape.map((size) => (size == null ? 'null' : String(size))).join(', ')}]`;
}

/**
 * A float32 tensor from a tensor or tensor-like. A tensor of another dtype is an error rather than a
 * silent cast: an int32 weight matrix is far more likely a mistake than an intent.
 */
export function toFloatTensor<T extends Tensor>(value: T | TensorLike, argName: string): T {
  if (value instanceof Tensor) {
    if (value.dtype !== 'float32') {
      throw new Error(`${argName} must be a float32 tensor, got dtype ${value.dtype}`);
    }
    return value;
  }
  try {
    return tensor(value, undefined, 'float32') as T;
  } catch (e) {
    throw new Error(`${argName} must be a tensor or a (nested) array of numbers: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** A channel count: an integer >= 1. */
export function checkChannelCount(value: unknown, argName: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${argName} must be an integer >= 1, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

/**
 * Converts `value` to a float32 tensor of exactly `expected` shape. `what` explains the dimensions,
 * e.g. "[outputFeatureChannels, inputFeatureChannels]".
 */
export function checkedFloatTensor<T extends Tensor>(
  value: T | TensorLike,
  argName: string,
  expected: readonly number[],
  what: string,
): T {
  const t = toFloatTensor<T>(value, argName);
  const sameShape = t.rank === expected.length && t.shape.every((size, axis) => size === expected[axis]);
  if (!sameShape) {
    throw new Error(`${argName} must be ${what} = ${formatShape(expected)}, got ${formatShape(t.shape)}`);
  }
  return t;
}

export function checkBoolean(value: unknown, argName: string, fallback: boolean): boolean {
  if (value == null) return fallback;
  if (typeof value !== 'boolean') {
    throw new Error(`${argName} must be true or false, got ${JSON.stringify(value)}`);
  }
  return value;
}
