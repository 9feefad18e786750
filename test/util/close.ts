/**
 * Closeness checks for numeric results. A value passes when it is within the absolute OR the relative
 * tolerance of the expected one, so both values near zero (where relative error blows up) and large
 * values (where a fixed absolute error is too strict) are judged sensibly. NaN only matches NaN and an
 * infinity only matches the same infinity; tolerances never make them pass.
 */
import {Tensor} from '@tensorflow/tfjs-core';

/** How far a result may be from the expected value: |got - expected| <= atol OR <= rtol * |expected|. */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/** Nested arrays of numbers, as taken by `tf.tensor` and returned by `Tensor.array()`. */
export type NestedNumbers = number | readonly NestedNumbers[];

/** Whether `got` is within `tolerance` of `expected`, with NaN and infinities compared exactly. */
export function isClose(got: number, expected: number, tolerance: Tolerance): boolean {
  if (Number.isNaN(expected) || Number.isNaN(got)) return Number.isNaN(expected) && Number.isNaN(got);
  if (got === expected) return true; // also the only way two infinities pass
  if (!Number.isFinite(expected) || !Number.isFinite(got)) return false;
  const error = Math.abs(got - expected);
  return error <= tolerance.atol || error <= tolerance.rtol * Math.abs(expected);
}

/** Row-major multi-index of flat `index` in `shape`, e.g. "[1, 0, 2]", or the flat index without shape. */
function formatIndex(index: number, shape: readonly number[] | undefined): string {
  if (shape == null || shape.length === 0) return `[${index}]`;
  const coords: number[] = [];
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    coords.unshift(rest % shape[axis]);
    rest = Math.floor(rest / shape[axis]);
  }
  return `[${coords.join(', ')}]`;
}

/** How many mismatches a failure message lists before summarizing the rest. */
const MAX_REPORTED = 5;

/**
 * Throws unless `got` and `expected` have the same length and every element is close. The message
 * names the first mismatches by index (multi-dimensional when `shape` is given) with expected and got,
 * and how many elements failed in all.
 */
export function expectArraysClose(
  got: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
  options: {what?: string; shape?: readonly number[]} = {},
): void {
  const what = options.what ?? 'values';
  if (got.length !== expected.length) {
    throw new Error(`${what}: expected ${expected.length} elements, got ${got.length}`);
  }
  const lines: string[] = [];
  let failures = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    if (isClose(got[i], expected[i], tolerance)) continue;
    failures++;
    // NaN and infinity mismatches are listed but kept out of the largest error, which would be NaN.
    const error = Math.abs(got[i] - expected[i]);
    if (Number.isFinite(error)) worst = Math.max(worst, error);
    if (lines.length < MAX_REPORTED) {
      lines.push(`  ${formatIndex(i, options.shape)}: expected ${expected[i]}, got ${got[i]}`);
    }
  }
  if (failures > 0) {
    const more = failures > MAX_REPORTED ? `\n  ... and ${failures - MAX_REPORTED} more` : '';
    throw new Error(
      `${what}: ${failures} of ${expected.length} elements not within atol ${tolerance.atol} or ` +
        `rtol ${tolerance.rtol} (largest finite absolute error ${worst}):\n${lines.join('\n')}${more}`,
    );
  }
}

function flatten(value: NestedNumbers, into: number[] = []): number[] {
  if (typeof value === 'number') {
    into.push(value);
  } else {
    for (const item of value) flatten(item, into);
  }
  return into;
}

function shapeOf(value: NestedNumbers): number[] {
  const shape: number[] = [];
  let level: NestedNumbers = value;
  while (typeof level !== 'number') {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

/**
 * Checks a tensor against expected values: the shape first (taken from `expected` when it is a tensor
 * or nested arrays, or given by `options.shape` for flat data), then every element as in
 * `expectArraysClose`. Reads the tensor asynchronously, so it works on every backend.
 */
export async function expectTensorClose(
  got: Tensor,
  expected: Tensor | NestedNumbers | ArrayLike<number>,
  tolerance: Tolerance,
  options: {what?: string; shape?: readonly number[]} = {},
): Promise<void> {
  const what = options.what ?? 'tensor';
  let expectedValues: ArrayLike<number>;
  let expectedShape: readonly number[] | undefined = options.shape;
  if (expected instanceof Tensor) {
    expectedValues = await expected.data<'float32'>();
    expectedShape ??= expected.shape;
  } else if (typeof expected === 'number' || Array.isArray(expected)) {
    expectedValues = flatten(expected as NestedNumbers);
    expectedShape ??= shapeOf(expected as NestedNumbers);
  } else {
    expectedValues = expected as ArrayLike<number>;
  }
  if (expectedShape != null) {
    const sameShape =
      got.shape.length === expectedShape.length &&
      got.shape.every((size, axis) => size === expectedShape[axis]);
    if (!sameShape) {
      throw new Error(`${what}: expected shape [${expectedShape.join(', ')}], got [${got.shape.join(', ')}]`);
    }
  }
  expectArraysClose(await got.data<'float32'>(), expectedValues, tolerance, {what, shape: got.shape});
}
