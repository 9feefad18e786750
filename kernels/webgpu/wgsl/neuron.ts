/**
 * The neuron g in WGSL, generated from its type so a shader carries only the code it runs. The
 * parameters a, b, c come from uniforms (`neuronA`, `neuronB`, `neuronC`), so changing a parameter
 * reuses the compiled pipeline; the type is a compile-time choice and part of the shader key.
 *
 * WGSL's built-in transcendental functions have loose error bounds and leave some inputs undefined
 * (pow of a negative base, log of a negative number, tanh for large |x| computed as sinh/cosh may
 * overflow to NaN). The helpers below pin those cases to what the float64 reference returns and keep
 * the error near float32 rounding where a naive formula cancels (expm1, log1p, tanh, erf near 0).
 * Subnormal inputs: WGSL allows flushing them to zero (SwiftShader does), and a GPU that keeps them
 * may take log2 of them inexactly (lavapipe: log(1e-40) = -88.0, pow(1e-40, -1) = 1.7e38). log and
 * pow therefore take a subnormal as a zero of its sign on every GPU: logarithm(1e-40) is -Inf here and
 * -92.1 on the cpu, power c = -1 at -1e-40 is -Inf on both; test/neuron_edges.spec.ts pins this.
 */
import type {NeuronType} from '../../../src/contracts/descriptor.js';
import {neuronShader, type NeuronHelper, type ShaderDialect, sharedHelpers} from '../../shader_neuron.js';

/**
 * Whether a float32 is zero or subnormal, from its exponent bits: log and pow take such a value as a
 * zero of its sign. (A literal bound such as 1.1754944e-38 could itself be flushed by a compiler.)
 */
const zeroOrSubnormal = (v: string): string => `(bitcast<u32>(${v}) & 0x7f800000u) == 0u`;

/** How this language spells the snippets shared with the other shading language. */
const DIALECT: ShaderDialect = {
  local: 'let',
  floatFunction: (name, arg) => `fn ${name}(${arg} : f32) -> f32`,
  isNaN: (v) => `isnan(${v})`,
  select: (f, t, c) => `select(${f}, ${t}, ${c})`,
  uniform: (name) => `uniforms.${name}`,
};

/** Helpers shared by several neurons; each neuron pulls in only those it calls (HELPERS_USED). */
const HELPERS = {
  ...sharedHelpers(DIALECT),
  log: /* wgsl */ `
// Natural log with the reference's values where WGSL's log is undefined.
fn sgLog(x : f32) -> f32 {
  if (isnan(x) || x < 0.0) {
    return uniforms.NAN;
  }
  // Subnormals as zero (see the file's comment): GPUs that keep them take their log inexactly.
  if (${zeroOrSubnormal('x')}) {
    return -uniforms.INFINITY;
  }
  return log(x);
}`,
  pow: /* wgsl */ `
// base^e as Math.pow gives it (IEEE 754 pow, except 1^±Inf and 1^NaN, which are NaN in JavaScript):
// WGSL's pow is undefined for base < 0, for 0^0 and at infinities, and exp2(e * log2|base|) turns
// ±Inf * 0 into NaN, so zeros, infinities and |base| = 1 are answered before the formula.
fn sgPow(base : f32, e : f32) -> f32 {
  if (e == 0.0) {
    return 1.0;
  }
  if (isnan(base) || isnan(e)) {
    return uniforms.NAN;
  }
  let ab = abs(base);
  let infiniteE = abs(e) == uniforms.INFINITY;
  // An odd integer exponent keeps the sign of a negative base (and of a negative zero).
  let oddE = !infiniteE && floor(e) == e && abs(e - 2.0 * floor(e * 0.5)) == 1.0;
  // The sign bit, not base < 0: a subnormal the GPU flushes still has its sign bit (-1e-40 -> -0).
  let negative = (bitcast<u32>(base) & 0x80000000u) != 0u;
  let keepSign = negative && oddE;
  if (infiniteE) {
    if (ab == 1.0) {
      return uniforms.NAN;
    }
    return select(0.0, uniforms.INFINITY, (ab > 1.0) == (e > 0.0));
  }
  // Subnormals as zero (see the file's comment); the sign bit above still holds their sign.
  if (${zeroOrSubnormal('ab')} || ab == uniforms.INFINITY) {
    // 0^e and Inf^e are 0 or Inf: Inf where the base is Inf and e > 0 or the base is 0 and e < 0.
    let large = (${zeroOrSubnormal('ab')}) != (e > 0.0);
    let magnitude = select(0.0, uniforms.INFINITY, large);
    return select(magnitude, -magnitude, keepSign);
  }
  let magnitude = exp2(e * log2(ab));
  if (base > 0.0) {
    return magnitude;
  }
  if (floor(e) != e) {
    return uniforms.NAN;
  }
  return select(magnitude, -magnitude, oddE);
}`,
} as const satisfies Record<NeuronHelper, string>;

/**
 * WGSL for `fn sgNeuron(x : f32) -> f32` and its helpers; needs uniforms neuronA/B/C, NAN, INFINITY.
 * A NaN state is answered before the formula: WGSL leaves NaN behaviour to the implementation, and
 * some builtins turn it into numbers (SwiftShader's log(NaN) is 89.1), which would let a NaN vanish
 * from the recurrence where the reference keeps it. `isnan` is the backend's bit test, which no
 * compiler can fold away.
 */
export function neuronWgsl(type: NeuronType): string {
  return neuronShader(DIALECT, HELPERS, type);
}
