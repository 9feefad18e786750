/** Closeness checks with named tolerances; a value passes on absolute OR relative error. */
export interface Tolerance {
  absolute: number;
  relative: number;
}

function describeIndex(index: number, shape?: readonly number[]): string {
  if (shape == null) return `[${index}]`;
  const coords: number[] = [];
  let rest = index;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    coords.unshift(rest % shape[axis]);
    rest = Math.floor(rest / shape[axis]);
  }
  return `[${coords.join(', ')}]`;
}

/**
 * Throws, naming the first mismatches, unless every element of `actual` is within `tolerance` of
 * `expected`. NaN must meet NaN and infinities the same infinity.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: Tolerance,
  what: string,
  shape?: readonly number[],
): void {
  if (actual.length !== expected.length) {
    throw new Error(`${what}: expected ${expected.length} values, got ${actual.length}`);
  }
  const failures: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    let ok: boolean;
    if (Number.isNaN(e) || Number.isNaN(a)) ok = Number.isNaN(e) && Number.isNaN(a);
    else if (!Number.isFinite(e) || !Number.isFinite(a)) ok = a === e;
    else {
      const error = Math.abs(a - e);
      ok = error <= tolerance.absolute || error <= tolerance.relative * Math.abs(e);
    }
    if (!ok) {
      count++;
      if (failures.length < 5) failures.push(`at ${describeIndex(i, shape)} expected ${e}, got ${a}`);
    }
  }
  if (count > 0) {
    throw new Error(
      `${what}: ${count} of ${expected.length} values differ by more than ` +
        `${tolerance.absolute} absolute and ${tolerance.relative} relative; ${failures.join('; ')}`,
    );
  }
}
