/**
 * float16 weight rounding for the portable path, from stock tfjs ops so it runs where the weights are
 * (a sync read of GPU data would stall or fail), with a straight-through gradient: the forward pass
 * uses the rounded weights, as MPS and the fused kernels do, while training treats rounding as the
 * identity (its true derivative is zero almost everywhere, which would stop learning).
 *
 * Exact on any backend, because every op used is exact in float32: comparisons, a gather, products
 * with powers of two and tfjs' `round` (ties to even). It matches `roundToFloat16` of the cpu kernel.
 */
import {
  abs,
  cast,
  customGrad,
  expandDims,
  gather,
  GradSaveFunc,
  greaterEqual,
  mul,
  reshape,
  round,
  sign,
  sum,
  Tensor,
  tensor1d,
  where,
} from '@tensorflow/tfjs-core';

/** float16's smallest exponent of a normal number and largest exponent. */
const MIN_EXPONENT = -14;
const MAX_EXPONENT = 15;
/** Fraction bits of float16. */
const FRACTION_BITS = 10;
/** Halfway between float16's largest value (65504) and 2^16: from here on rounding gives infinity. */
const OVERFLOW = 65520;

/**
 * The binade thresholds 2^-13 .. 2^15: the number of them at or below |v| picks the spacing of float16
 * values around v, from 2^-24 (subnormals and the first binade) up to 2^5.
 */
const THRESHOLDS = Array.from({length: MAX_EXPONENT - MIN_EXPONENT}, (_, k) => 2 ** (MIN_EXPONENT + 1 + k));
const spacingOf = (binade: number): number => 2 ** (MIN_EXPONENT + binade - FRACTION_BITS);
const SPACINGS = Array.from({length: THRESHOLDS.length + 1}, (_, n) => spacingOf(n));

/** Rounds every value to the nearest float16 (ties to even); the gradient passes straight through. */
export const roundWeightsToFloat16 = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
  // Flat, so the comparison against the thresholds is rank 2 for weights of any rank (OHWI kernels
  // are rank 4, and webgpu's broadcasting ops stop there).
  const shape = (args[0] as Tensor).shape;
  const weights = reshape(args[0] as Tensor, [-1]);
  const magnitude = abs(weights);
  const binade = sum(cast(greaterEqual(expandDims(magnitude, -1), tensor1d(THRESHOLDS)), 'int32'), -1);
  const spacing = gather(tensor1d(SPACINGS), binade);
  const inverse = gather(tensor1d(SPACINGS.map((s) => 1 / s)), binade);
  const rounded = mul(round(mul(weights, inverse)), spacing);
  return {
    value: reshape(where(greaterEqual(magnitude, OVERFLOW), mul(sign(weights), Infinity), rounded), shape),
    gradFunc: (dy: Tensor) => dy,
  };
}) as <T extends Tensor>(weights: T) => T;
