/**
 * Runs one spec on every backend that has the `SingleGateRNN` kernel, so a new backend's kernel is
 * held to the same behaviour by registering it, nothing more.
 */
import * as tf from '@tensorflow/tfjs-core';

import {SingleGateRNNKernelName} from '../../src/index.js';
import {Tolerance} from './close.js';

/** Backends the suite knows how to test, each with the tolerance its kernel is held to. */
export const TOLERANCES: Readonly<Record<string, Tolerance>> = {
  // The cpu kernel accumulates in float64; only the float32 output rounding separates it from the
  // float64 reference.
  cpu: {absolute: 1e-6, relative: 1e-6},
  // float32 accumulation on the GPU, with hardware transcendentals.
  webgpu: {absolute: 2e-4, relative: 2e-4},
};

export interface BackendUnderTest {
  name: string;
  tolerance: Tolerance;
}

export function backendsWithKernel(): BackendUnderTest[] {
  return Object.keys(TOLERANCES)
    .filter((name) => tf.getKernel(SingleGateRNNKernelName, name) != null)
    .map((name) => ({name, tolerance: TOLERANCES[name]}));
}

/** `describe(title)` once per backend with the kernel, with that backend active in its tests. */
export function describeEachBackend(title: string, body: (backend: BackendUnderTest) => void): void {
  for (const backend of backendsWithKernel()) {
    describe(`${title} [${backend.name}]`, function () {
      before(async function () {
        const ok = await tf.setBackend(backend.name);
        if (!ok || tf.getBackend() !== backend.name) {
          throw new Error(`backend '${backend.name}' has the kernel but could not be initialized here`);
        }
      });
      body(backend);
    });
  }
}
