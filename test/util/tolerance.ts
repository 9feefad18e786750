/**
 * How close each backend's results must be to float64 references. Every backend that registers a
 * `SingleGateRNN` kernel needs an entry here; `describeAllBackends` refuses one that has none.
 */
import type {Tolerance} from './close.js';

/**
 * The cpu kernels (the fast default and the reference, which agree exactly: see
 * cpu_fast_kernel.spec.ts) accumulate in float64 and round once to float32 on output, so they differ from a
 * float64 reference by about one float32 rounding (relative 6e-8); the margin leaves room for
 * references that are themselves computed through float32 data.
 */
export const CPU_TOLERANCE: Tolerance = {atol: 1e-6, rtol: 1e-6};

/**
 * The WebGPU kernel accumulates in float32, in another order, with the GPU's own exp/tanh. Measured
 * against the float64 reference over every spec in both browsers (SwiftShader and lavapipe): largest
 * error 4.8e-7 (3.1e-7 against the cpu kernel on an H100); this leaves a tenfold margin.
 */
export const WEBGPU_TOLERANCE: Tolerance = {atol: 5e-6, rtol: 5e-6};

/**
 * The portable path (stock tfjs ops, here on the cpu backend's float32 kernels: `cpu-portable` in
 * test/util/portable_backend.ts) rounds to float32 after every op, in another order than the kernels.
 * Measured against the float64 reference over every spec in both browsers: largest error 4.5e-7 (Firefox),
 * 3.3e-7 (Chromium); this leaves a tenfold margin.
 */
export const PORTABLE_TOLERANCE: Tolerance = {atol: 5e-6, rtol: 5e-6};

/** Tolerance by backend name: the backends the suite knows how to judge. */
export const TOLERANCES: Readonly<Record<string, Tolerance>> = {
  cpu: CPU_TOLERANCE,
  webgpu: WEBGPU_TOLERANCE,
  'cpu-portable': PORTABLE_TOLERANCE,
};

/** The tolerance for `backend`'s results; throws for a backend this file does not know how to judge. */
export function toleranceFor(backend: string): Tolerance {
  const tolerance = TOLERANCES[backend];
  if (tolerance == null) {
    throw new Error(
      `Backend '${backend}' has no tolerance in test/util/tolerance.ts (known: ` +
        `${Object.keys(TOLERANCES).join(', ')}); add one so its results are checked`,
    );
  }
  return tolerance;
}
