/**
 * Runs one spec against every backend that has the `SingleGateRNN` kernel, so a new backend's kernel
 * is held to the same cases as soon as it is registered.
 */
import {engine, getBackend, getKernel, setBackend} from '@tensorflow/tfjs-core';

import {SingleGateRNN as SingleGateRNNKernelName} from '../../src/contracts/matrix_kernel.js';
import type {Tolerance} from './close.js';
import {PORTABLE_TEST_BACKEND} from './portable_backend.js';
import './setup.js';
import {TOLERANCES, toleranceFor} from './tolerance.js';

/** What a spec body gets for the backend it runs on. */
export interface BackendUnderTest {
  /** The tfjs backend name, e.g. 'cpu' or 'webgpu'; it is active while the suite's tests run. */
  readonly name: string;
  /** How close this backend's results must be to float64 references. */
  readonly tolerance: Tolerance;
}

/**
 * The backends that have a `kernelName` kernel, known backends first, then the test backend that has
 * none (the portable path). A backend counts when its kernel is registered, whether or not the backend
 * itself could be created here: a webgpu kernel in a browser without WebGPU must fail in `setBackend`,
 * not vanish from the run.
 */
export function backendsWithKernel(kernelName: string = SingleGateRNNKernelName): BackendUnderTest[] {
  const names = new Set([...Object.keys(TOLERANCES), ...engine().backendNames()]);
  const found: BackendUnderTest[] = [];
  for (const name of names) {
    if (getKernel(kernelName, name) == null && name !== PORTABLE_TEST_BACKEND) continue;
    // A backend with the kernel but no tolerance is an error, never silently left out.
    found.push({name, tolerance: toleranceFor(name)});
  }
  if (found.length === 0) throw new Error(`No backend registers a ${kernelName} kernel`);
  return found;
}

/**
 * Every backend the suite knows (those with a tolerance, and any registered one, which then needs a
 * tolerance too), for an op that runs on all of them: through its kernel where the backend registers
 * one, through the portable path elsewhere (the image variant, `SingleGateConvRNN`).
 */
export function everyBackend(): BackendUnderTest[] {
  const names = new Set([...Object.keys(TOLERANCES), ...engine().backendNames()]);
  return [...names].map((name) => ({name, tolerance: toleranceFor(name)}));
}

/** Makes `name` the active backend, failing loudly when it cannot be created. */
export async function useBackend(name: string): Promise<void> {
  if (getBackend() === name) return;
  // setBackend answers false (with a console warning) when the backend's factory fails, and throws
  // when no such backend is registered (tfjs-backend-webgpu registers only where WebGPU exists).
  if (!(await setBackend(name))) {
    throw new Error(
      `tf.setBackend('${name}') could not initialize the backend; its warning is in the browser log`,
    );
  }
  if (getBackend() !== name) {
    throw new Error(`tf.setBackend('${name}') succeeded but the active backend is '${getBackend()}'`);
  }
}

/**
 * `describe(title [backend], ...)` once per backend with a `SingleGateRNN` kernel (or once per backend
 * of `backends()`, e.g. `everyBackend`). The backend is made
 * active before the suite and again before each test, so a test that switches backends cannot leak
 * that into the next one.
 *
 * @example
 * describeAllBackends('singleGateRNN', (backend) => {
 *   it('matches the reference', async () => {
 *     const {output} = singleGateRNN(x, descriptor);
 *     await expectTensorClose(output, expected, backend.tolerance);
 *   });
 * });
 */
export function describeAllBackends(
  title: string,
  body: (backend: BackendUnderTest) => void,
  backends: () => BackendUnderTest[] = backendsWithKernel,
): void {
  for (const backend of backends()) {
    describe(`${title} [${backend.name}]`, () => {
      before(() => useBackend(backend.name));
      beforeEach(() => useBackend(backend.name));
      body(backend);
    });
  }
}
