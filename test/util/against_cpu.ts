/** Runs one configuration on a GPU backend and on the cpu kernel, and compares the two. */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import type {BackendUnderTest} from './backends.js';
import {useBackend} from './backends.js';
import {expectArraysClose} from './close.js';
import {withCpuReference} from './cpu_reference.js';
import {makeProblem, ProblemConfig, runOp} from './problem.js';

/**
 * Output and final state on `backend` within its tolerance of the cpu reference kernel's (float64);
 * no tensor left.
 */
export async function expectSameAsCpuKernel(config: ProblemConfig, backend: BackendUnderTest): Promise<void> {
  const problem = makeProblem(config);
  await useBackend('cpu');
  const expected = await withCpuReference(() => runOp(problem));
  await useBackend(backend.name);
  const tensors = tf.memory().numTensors;
  const got = await runOp(problem);
  expect(tf.memory().numTensors, 'tensors left behind').to.equal(tensors);
  expectArraysClose(got.output, expected.output, backend.tolerance, {what: 'output', shape: got.outputShape});
  expectArraysClose(got.finalState, expected.finalState, backend.tolerance, {what: 'final state'});
}
