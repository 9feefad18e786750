/**
 * The neuron g in GLSL ES 3.0, generated from its type so a shader carries only the code it runs. The
 * parameters a, b, c are uniforms (`neuronA`, `neuronB`, `neuronC`), so changing a parameter reuses the
 * compiled program; the type is part of the shader source, which is the program's cache key.
 *
 * GLSL leaves the same cases undefined as WGSL (pow of a negative base, log of x <= 0, NaN through
 * min/max/clamp) and its exp/log/tanh have loose bounds; the helpers pin those cases to what the float64
 * reference returns and keep the error near float32 rounding where a naive formula cancels (expm1,
 * log1p, tanh, erf near 0). They follow kernels/webgpu/wgsl/neuron.ts case for case, so every backend
 * answers the edge cases the neuron specs pin the same way.
 */
import type {NeuronType} from '../../../src/contracts/descriptor.js';
import {neuronShader, type NeuronHelper, type ShaderDialect, sharedHelpers} from '../../shader_neuron.js';

/** Whether a float32 is zero or subnormal, from its exponent bits (as in the WGSL neurons). */
const zeroOrSubnormal = (v: string): string => `(floatBitsToUint(${v}) & 0x7f800000u) == 0u`;

/** How this language spells the snippets shared with the other shading language. */
const DIALECT: ShaderDialect = {
  local: 'float',
  floatFunction: (name, arg) => `float ${name}(float ${arg})`,
  isNaN: (v) => `sgIsNaN(${v})`,
  select: (f, t, c) => `(${c} ? ${t} : ${f})`,
  uniform: (name) => name,
};

/** Helpers shared by several neurons; each neuron pulls in only those it calls (HELPERS_USED). */
const HELPERS = {
  ...sharedHelpers(DIALECT),
  log: /* glsl */ `
// Natural log with the reference's values where GLSL's log is undefined.
float sgLog(float x) {
  if (sgIsNaN(x) || x < 0.0) {
    return SG_NAN;
  }
  // Subnormals as zero, as in the WGSL neurons (kernels/webgpu/wgsl/neuron.ts says why).
  if (${zeroOrSubnormal('x')}) {
    return -SG_INFINITY;
  }
  return log(x);
}`,
  pow: /* glsl */ `
// base^e as Math.pow gives it (IEEE 754 pow, except 1^±Inf and 1^NaN, which are NaN in JavaScript):
// GLSL's pow is undefined for base < 0, for 0^0 and at infinities, and exp2(e * log2|base|) turns
// ±Inf * 0 into NaN, so zeros, infinities and |base| = 1 are answered before the formula.
float sgPow(float base, float e) {
  if (e == 0.0) {
    return 1.0;
  }
  if (sgIsNaN(base) || sgIsNaN(e)) {
    return SG_NAN;
  }
  float ab = abs(base);
  bool infiniteE = abs(e) == SG_INFINITY;
  // An odd integer exponent keeps the sign of a negative base (and of a negative zero).
  bool oddE = !infiniteE && floor(e) == e && abs(e - 2.0 * floor(e * 0.5)) == 1.0;
  // The sign bit, not base < 0: a subnormal the GPU flushes still has its sign bit (-1e-40 -> -0).
  bool negative = (floatBitsToUint(base) & 0x80000000u) != 0u;
  bool keepSign = negative && oddE;
  if (infiniteE) {
    if (ab == 1.0) {
      return SG_NAN;
    }
    return (ab > 1.0) == (e > 0.0) ? SG_INFINITY : 0.0;
  }
  // Subnormals as zero, as in the WGSL neurons; the sign bit above still holds their sign.
  if (${zeroOrSubnormal('ab')} || ab == SG_INFINITY) {
    // 0^e and Inf^e are 0 or Inf: Inf where the base is Inf and e > 0 or the base is 0 and e < 0.
    float magnitude = (${zeroOrSubnormal('ab')}) != (e > 0.0) ? SG_INFINITY : 0.0;
    return keepSign ? -magnitude : magnitude;
  }
  float magnitude = exp2(e * log2(ab));
  if (base > 0.0) {
    return magnitude;
  }
  if (floor(e) != e) {
    return SG_NAN;
  }
  return oddE ? -magnitude : magnitude;
}`,
} as const satisfies Record<NeuronHelper, string>;

/**
 * GLSL for `float sgNeuron(float x)` and its helpers; needs NUMBERS_GLSL and the uniforms neuronA,
 * neuronB, neuronC. A NaN pre-activation is answered before the formula, as in the WGSL neurons:
 * min/max/clamp and some builtins may turn NaN into numbers, which would let a NaN vanish from the
 * recurrence where the reference keeps it.
 */
export function neuronGlsl(type: NeuronType): string {
  return neuronShader(DIALECT, HELPERS, type);
}
