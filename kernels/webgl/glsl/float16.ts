/**
 * float32 -> float16 rounding in GLSL ES 3.0, returned as the float32 that holds the half value.
 *
 * GLSL leaves the rounding of `packHalf2x16` to the implementation, and the float16 weights must be
 * the cpu kernel's (kernels/cpu/float16.ts: nearest, ties to even, 65520 and above to infinity) on
 * every GPU. So the rounding is done on the float32 bits: a normal half keeps the top 10 of the 23
 * significand bits, which is the float32 with the low 13 bits rounded away (a carry correctly bumps
 * the exponent); below 2^-14 halves are multiples of 2^-24, and the float32 value times 2^24 is exact,
 * so rounding it to an integer (ties to even, written out) and scaling back is exact too.
 */
export const FLOAT16_GLSL = /* glsl */ `
float sgRoundF16(float v) {
  uint bits = floatBitsToUint(v);
  uint signBit = bits & 0x80000000u;
  uint mag = bits & 0x7fffffffu;
  if (mag >= 0x7f800000u) {
    // Infinity and NaN stay as they are.
    return v;
  }
  if (mag >= 0x477ff000u) {
    // 65520 lies halfway between 65504 (the largest half) and 2^16: it and everything above overflow.
    return uintBitsToFloat(signBit | 0x7f800000u);
  }
  if (mag < 0x38800000u) {
    float scaled = uintBitsToFloat(mag) * 16777216.0;
    float whole = floor(scaled);
    float rest = scaled - whole;
    bool odd = mod(whole, 2.0) == 1.0;
    float rounded = (rest > 0.5 || (rest == 0.5 && odd)) ? whole + 1.0 : whole;
    return uintBitsToFloat(floatBitsToUint(rounded * 5.9604644775390625e-8) | signBit);
  }
  uint kept = mag >> 13u;
  uint rest = mag & 0x1fffu;
  bool up = rest > 0x1000u || (rest == 0x1000u && (kept & 1u) == 1u);
  return uintBitsToFloat(signBit | ((kept + (up ? 1u : 0u)) << 13u));
}
`;
