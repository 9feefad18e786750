/**
 * float32 -> float16 rounding in WGSL, written out in integer arithmetic.
 *
 * WGSL leaves the rounding of f32 -> f16 conversions (including `pack2x16float`) to the implementation
 * (either neighbour is allowed, and overflow behaviour varies: some implementations give NaN for finite
 * values past 65504). The cpu reference rounds to nearest, ties to even, with values >= 65520 going to
 * infinity; doing the same here bit by bit makes the float16 weights identical on every GPU.
 * The reverse conversion (`unpack2x16float`) is exact, so it is used as is.
 */
export const FLOAT16_WGSL = /* wgsl */ `
// The IEEE binary16 bits of v, rounded to nearest, ties to even.
fn sgF16Bits(v : f32) -> u32 {
  let bits = bitcast<u32>(v);
  let sign = (bits >> 16u) & 0x8000u;
  let mag = bits & 0x7fffffffu;
  if (mag >= 0x7f800000u) {
    // Infinity stays infinity; NaN stays a (quiet) NaN.
    return sign | 0x7c00u | select(0u, 0x200u, mag > 0x7f800000u);
  }
  if (mag >= 0x477ff000u) {
    // 65520 is halfway between 65504 (largest half) and 2^16; it and everything above round to infinity.
    return sign | 0x7c00u;
  }
  if (mag < 0x38800000u) {
    // Below 2^-14 the half is subnormal: count units of 2^-24. Up to 2^-25 (a tie) rounds to zero.
    if (mag <= 0x33000000u) {
      return sign;
    }
    let significand = (mag & 0x7fffffu) | 0x800000u;
    let shift = 126u - (mag >> 23u);
    let kept = significand >> shift;
    let rest = significand & ((1u << shift) - 1u);
    let halfway = 1u << (shift - 1u);
    let up = rest > halfway || (rest == halfway && (kept & 1u) == 1u);
    return sign | (kept + select(0u, 1u, up));
  }
  // Normal: rebias the exponent (127 -> 15) and drop 13 significand bits. A carry out of the
  // significand correctly bumps the exponent.
  let rebiased = mag - 0x38000000u;
  let kept = rebiased >> 13u;
  let rest = rebiased & 0x1fffu;
  let up = rest > 0x1000u || (rest == 0x1000u && (kept & 1u) == 1u);
  return sign | (kept + select(0u, 1u, up));
}

// v rounded to the nearest float16, as an f32.
fn sgRoundF16(v : f32) -> f32 {
  return unpack2x16float(sgF16Bits(v)).x;
}
`;
