/**
 * How close each backend's results must be to float64 references. Every backend that registers a
 * `SingleGateRNN` kernel needs an entry here; `describeAllBackends` refuses one that has none.
 */
import type {Tolerance} from './close.js';

/**
 * The cpu kernel accumulates in float64 and rounds once to float32 on output, so it differs from a
 * float64 reference by about one float32 rounding (relative 6e-8); the margin leaves room for
 * references that are themselves computed through float32 data.
 */
export const CPU_TOLERANCE: Tolerance = {atol: 1e-6, rtol: 1e-6};

/**
 * The WebGPU kernel accumulates in float32, in another order, and WGSL's exp/tanh are only accurate to
 * a few ULP (more for large arguments); the error also grows with the number of steps. This matches
 * the float32 epsilon tfjs uses for its own backend tests. Tighten it once the kernel's error is known.
 */
export const WEBGPU_TOLERANCE: Tolerance = {atol: 1e-4, rtol: 1e-3};

/** Tolerance by backend name: the backends the suite knows how to judge. */
export const TOLERANCES: Readonly<Record<string, Tolerance>> = {
  cpu: CPU_TOLERANCE,
  webgpu: WEBGPU_TOLERANCE,
};
