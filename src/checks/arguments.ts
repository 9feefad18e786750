/** Argument checks whose messages name the argument and show expected vs got. */
import {DataType, Tensor, tensor, TensorLike, util} from '@tensorflow/tfjs-core';

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
    checkNotDisposed(value, argName);
    if (value.dtype !== 'float32') {
      throw new Error(`${argName} must be a float32 tensor, got dtype ${value.dtype}`);
    }
    return value;
  }
  return tensorFrom<T>(value, argName, 'float32');
}

/**
 * Refuses a disposed tensor by name: tfjs would fail later, deep in a kernel, with "Cannot read
 * properties of undefined (reading 'backend')". A descriptor kept after its weights were disposed is
 * the usual way to get here.
 */
export function checkNotDisposed(value: Tensor, argName: string): void {
  if (value.isDisposed) {
    throw new Error(`${argName} was disposed: pass a live tensor (shape ${formatShape(value.shape)})`);
  }
}

/**
 * A tensor from a tensor-like, refusing ragged nested arrays: tfjs infers the shape from the first
 * element of each level and, unless its debug mode is on, would take [[1, 2], [3]] as a 2x2 tensor.
 */
export function tensorFrom<T extends Tensor>(value: TensorLike, argName: string, dtype?: DataType): T {
  // Checked before the tensor exists: some backends (wasm) copy exactly size values and throw a
  // RangeError of their own when fewer are given.
  if (Array.isArray(value)) {
    const shape = leadingShape(value);
    const size = shape.reduce((a, b) => a * b, 1);
    const count = util.flatten(value).length;
    if (count !== size) {
      throw new Error(
        `${argName} must be a rectangular (nested) array: its first entries make it ${formatShape(shape)}, ` +
          `${size} values, but it holds ${count}`,
      );
    }
  }
  try {
    return tensor(value, undefined, dtype) as T;
  } catch (e) {
    throw new Error(`${argName} must be a tensor or a (nested) array of numbers: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** The shape tfjs infers for a nested array: the length of the first entry at each level. */
function leadingShape(value: unknown): number[] {
  const shape: number[] = [];
  for (let v = value; Array.isArray(v) || ArrayBuffer.isView(v); v = (v as ArrayLike<unknown>)[0]) {
    shape.push((v as ArrayLike<unknown>).length);
  }
  return shape;
}

/** A value as an error shows it: numbers as themselves (NaN, Infinity), the rest as JSON. */
export function formatValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
}

/** A channel count: an integer >= 1. */
export function checkChannelCount(value: unknown, argName: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${argName} must be an integer >= 1, got ${formatValue(value)}`);
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
