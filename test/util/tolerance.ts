/**
 * How close each backend's results must be to float64 references. Every backend that registers a
 * `SingleGateRNN` kernel needs an entry here; `describeAllBackends` refuses one that has none.
 */
import type {Tolerance} from './close.js';

/**
 * The cpu kernels (the fast default and the reference, which agree exactly: see
 * cpu_fast_kernel.spec.ts) accumulate each step's sum in float64 and store the state in float32, as the
 * reference does, so they differ from it by about one float32 rounding (relative 6e-8); the margin leaves room for
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
 * The WebGL kernel accumulates in float32, one fragment per output element, with GLSL's exp/log. Measured
 * over every spec in both browsers (Chromium: WebGL 2 through ANGLE on SwiftShader; Firefox: llvmpipe):
 * largest error 1.2e-6 in either, 21% of this tolerance, so the same as webgpu's leaves a fourfold
 * margin.
 */
export const WEBGL_TOLERANCE: Tolerance = {atol: 5e-6, rtol: 5e-6};

/**
 * The wasm kernel takes x Wᵀ (and, for large steps, U h) from the backend's float32 matMul (XNNPACK),
 * sums each pre-activation in float64 and keeps the state in float32, with the cpu kernel's neuron
 * functions. Measured against the cpu kernel over 1591 configurations (every case of cases/webgpu.ts
 * and 1500 random ones, in Node): largest error 1.34e-6, at several hundred units, where XNNPACK
 * sums U h over as many float32 products; the cpu kernel is itself within 6e-8 of float64
 * references, and this leaves a tenfold margin over the sum.
 */
export const WASM_TOLERANCE: Tolerance = {atol: 1.5e-5, rtol: 1.5e-5};

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
  webgl: WEBGL_TOLERANCE,
  wasm: WASM_TOLERANCE,
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
