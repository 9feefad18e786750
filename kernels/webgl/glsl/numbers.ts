/**
 * IEEE special values and tests in GLSL ES 3.0, from their bits. GLSL leaves NaN behaviour to the
 * implementation (a compiler may fold `isnan` or `x != x` away) and WebGL 2 programs of the webgl
 * backend get no INFINITY constant, so both are written out here; bit tests cannot be folded.
 */
export const NUMBERS_GLSL = /* glsl */ `
const float SG_INFINITY = uintBitsToFloat(0x7f800000u);
const float SG_NAN = uintBitsToFloat(0x7fc00000u);

bool sgIsNaN(float v) {
  return (floatBitsToUint(v) & 0x7fffffffu) > 0x7f800000u;
}
`;
