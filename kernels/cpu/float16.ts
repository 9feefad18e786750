/**
 * Rounds a number to the nearest float16 value (ties to even), returned as a double: what MPS does to
 * weights when `useFloat32Weights` is false. Written out rather than using `Math.f16round`, which
 * Node 20 lacks.
 */
export function roundToFloat16(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.abs(value);
  // 65520 lies halfway between the largest float16 (65504) and 2^16; ties to even go to infinity.
  if (magnitude >= 65520) return Math.sign(value) * Infinity;
  let exponent = Math.floor(Math.log2(magnitude));
  // Math.log2 may be off by one next to a power of two; settle the binade exactly.
  while (2 ** exponent > magnitude) exponent--;
  while (2 ** (exponent + 1) <= magnitude) exponent++;
  // Below 2^-14 float16 is subnormal, with the fixed spacing 2^-24.
  const spacing = 2 ** (Math.max(exponent, -14) - 10);
  const scaled = magnitude / spacing; // exact: spacing is a power of two
  const floor = Math.floor(scaled);
  const rest = scaled - floor;
  const rounded = rest > 0.5 || (rest === 0.5 && floor % 2 === 1) ? floor + 1 : floor;
  return Math.sign(value) * rounded * spacing;
}

/** Copies `values` into doubles, rounding each to float16 when `toFloat16` is set. */
export function weightsAsFloat64(values: ArrayLike<number>, toFloat16: boolean): Float64Array {
  const out = Float64Array.from(values);
  if (toFloat16) for (let i = 0; i < out.length; i++) out[i] = roundToFloat16(out[i]);
  return out;
}
