/**
 * Closeness checks for numeric results. A value passes when it is within the absolute OR the relative
 * tolerance of the expected one, so both values near zero (where relative error blows up) and large
 * values (where a fixed absolute error is too strict) are judged sensibly. NaN only matches NaN and an
 * infinity only matches the same infinity; tolerances never make them pass.
 */
// Type-only: the module loads nothing, so Node scripts can import it before they load tfjs.
import type {Tensor} from '@tensorflow/tfjs-core';

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

/** What comparing two arrays element by element under one tolerance found. */
export interface Comparison {
  /** How many elements are not close. */
  readonly failures: number;
  /** Flat indices of the first failures (at most MAX_REPORTED), for messages. */
  readonly firstFailures: readonly number[];
  /** Largest finite |got - expected| (NaN and infinity mismatches are counted, not measured). */
  readonly largestError: number;
  /**
   * Largest |got - expected| / max(atol, rtol * |expected|) over finite elements: the share of the
   * tolerance the worst element used, above 1 for a failure. It tells how much margin a passing run had.
   */
  readonly toleranceUsed: number;
}

/** Compares `got` with `expected` (same length) element by element under `tolerance`. */
export function compareArrays(
  got: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
): Comparison {
  if (got.length !== expected.length) {
    throw new Error(`compareArrays: expected ${expected.length} elements, got ${got.length}`);
  }
  const firstFailures: number[] = [];
  let failures = 0;
  let largestError = 0;
  let toleranceUsed = 0;
  for (let i = 0; i < expected.length; i++) {
    const close = isClose(got[i], expected[i], tolerance);
    if (!close) {
      failures++;
      if (firstFailures.length < MAX_REPORTED) firstFailures.push(i);
    }
    const error = Math.abs(got[i] - expected[i]);
    // Matching NaNs and infinities give NaN here, and must not poison the maxima; an exact match
    // used none of the tolerance (and 0 / 0 would be NaN when atol is 0).
    if (!Number.isFinite(error) || error === 0) continue;
    largestError = Math.max(largestError, error);
    toleranceUsed = Math.max(
      toleranceUsed,
      error / Math.max(tolerance.atol, tolerance.rtol * Math.abs(expected[i])),
    );
  }
  return {failures, firstFailures, largestError, toleranceUsed};
}

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
  const {failures, firstFailures, largestError} = compareArrays(got, expected, tolerance);
  if (failures === 0) return;
  const lines = firstFailures.map(
    (i) => `  ${formatIndex(i, options.shape)}: expected ${expected[i]}, got ${got[i]}`,
  );
  const more = failures > lines.length ? `\n  ... and ${failures - lines.length} more` : '';
  throw new Error(
    `${what}: ${failures} of ${expected.length} elements not within atol ${tolerance.atol} or ` +
      `rtol ${tolerance.rtol} (largest finite absolute error ${largestError}):\n${lines.join('\n')}${more}`,
  );
}

function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value != null && 'dataId' in value && 'shape' in value;
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
  if (isTensor(expected)) {
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
