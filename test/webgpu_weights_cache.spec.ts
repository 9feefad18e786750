/**
 * The WebGPU kernel prepares U (transposed, and packed to float16 unless useFloat32Weights) once per
 * weights tensor and keeps it while that tensor lives: later calls reuse it, it goes when the tensor
 * is disposed, and other weights (a new tensor, or a Variable assigned new values) get their own.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNN, SingleGateRNNDescriptor} from 'tfjs-single-gate-rnn';

import {backendsWithKernel, useBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {makeProblem, Problem, referenceOf} from './util/problem.js';
import {programsRun as programRuns} from './util/program_runs.js';

const CONFIG = {
  batch: 2,
  time: 5,
  inputChannels: 3,
  outputChannels: 6,
  neuron: {type: 'tanh', a: 1, b: 1, c: 0},
  float32Weights: true,
} as const;

/** Names of the programs `body` runs, in order (recorded or replayed). */
async function programsRun(body: () => Promise<void>): Promise<string[]> {
  return (await programRuns(body)).runs.map((run) => run.name);
}

/** Used buffers of the backend's pool once everything queued is submitted (pending releases done). */
async function usedBuffers(backend: WebGPUBackend): Promise<number> {
  const probe = tf.tensor1d([0]);
  const sum = tf.add(probe, 1);
  await sum.data();
  tf.dispose([probe, sum]);
  return backend.bufferManager.getNumUsedBuffers();
}

for (const backend of backendsWithKernel().filter((b) => b.name === 'webgpu')) {
  describe(`${backend.name}: the prepared recurrent weights`, () => {
    beforeEach(() => useBackend(backend.name));

    /** The op on `problem`'s x with the given U tensor; its output read back, nothing else left. */
    async function outputWith(
      problem: Problem,
      u: tf.Tensor2D,
      float32Weights = true,
    ): Promise<Float32Array> {
      const c = problem.config;
      const [output, finalState] = tf.tidy(() => {
        const descriptor: SingleGateRNNDescriptor = {
          inputFeatureChannels: c.inputChannels,
          outputFeatureChannels: c.outputChannels,
          useFloat32Weights: float32Weights,
          inputWeights: {
            weights: tf.tensor2d(problem.w!, [c.outputChannels, c.inputChannels]),
            biasTerms: tf.tensor1d(problem.bias!),
            neuron: {type: 'tanh'},
          },
          recurrentWeights: {weights: u},
        };
        const result = singleGateRNN(tf.tensor3d(problem.x, [c.batch, c.time, c.inputChannels]), descriptor);
        return [result.output, result.finalState];
      });
      const data = (await output.data()) as Float32Array;
      tf.dispose([output, finalState]);
      return data;
    }

    it('prepares U on the first call with a weights tensor only, per layout, with the same results', async () => {
      const problem = makeProblem(CONFIG);
      const u = tf.tensor2d(problem.u!, [CONFIG.outputChannels, CONFIG.outputChannels]);
      let first: number[] = [];
      let second: number[] = [];
      const firstPrograms = await programsRun(
        async () => void (first = Array.from(await outputWith(problem, u))),
      );
      const secondPrograms = await programsRun(
        async () => void (second = Array.from(await outputWith(problem, u))),
      );
      expect(firstPrograms).to.include('RecurrentWeightsProgram');
      expect(secondPrograms).to.not.include('RecurrentWeightsProgram');
      expect(secondPrograms).to.include('RecurrenceProgram');
      expect(second).to.deep.equal(first);
      // float16 weights are another layout of the same tensor: prepared once too.
      const float16Programs = await programsRun(async () => void (await outputWith(problem, u, false)));
      const againPrograms = await programsRun(async () => void (await outputWith(problem, u, false)));
      expect(float16Programs).to.include('RecurrentWeightsProgram');
      expect(againPrograms).to.not.include('RecurrentWeightsProgram');
      u.dispose();
      // The same values in a new tensor: prepared again (the cache follows tensors, not values).
      const copy = tf.tensor2d(problem.u!, [CONFIG.outputChannels, CONFIG.outputChannels]);
      const copyPrograms = await programsRun(async () => void (await outputWith(problem, copy)));
      expect(copyPrograms).to.include('RecurrentWeightsProgram');
      copy.dispose();
    });

    it('replays a repeated call: the same bits as the backend running every program itself', async () => {
      const problem = makeProblem({...CONFIG, time: 7});
      const u = tf.tensor2d(problem.u!, [CONFIG.outputChannels, CONFIG.outputChannels]);
      const recorded = await outputWith(problem, u);
      const replayed = await outputWith(problem, u);
      // While the backend profiles, every dispatch goes through its own runWebGPUProgram.
      let profiled: tf.Tensor[] = [];
      await tf.time(() => {
        profiled = tf.tidy(() => {
          const c = problem.config;
          const result = singleGateRNN(tf.tensor3d(problem.x, [c.batch, c.time, c.inputChannels]), {
            inputFeatureChannels: c.inputChannels,
            outputFeatureChannels: c.outputChannels,
            useFloat32Weights: true,
            inputWeights: {
              weights: tf.tensor2d(problem.w!, [c.outputChannels, c.inputChannels]),
              biasTerms: tf.tensor1d(problem.bias!),
              neuron: {type: 'tanh'},
            },
            recurrentWeights: {weights: u},
          });
          return [result.output, result.finalState];
        });
      });
      const direct = (await profiled[0].data()) as Float32Array;
      tf.dispose(profiled);
      u.dispose();
      expect(Array.from(replayed)).to.deep.equal(Array.from(direct));
      expect(Array.from(recorded)).to.deep.equal(Array.from(direct));
      expectArraysClose(replayed, referenceOf(problem).output, backend.tolerance, {what: 'a replayed call'});
    });

    it('frees the prepared U with its weights tensor: no GPU buffer left behind', async () => {
      const gpu = tf.backend() as WebGPUBackend;
      const problem = makeProblem(CONFIG);
      const before = await usedBuffers(gpu);
      const tensors = tf.memory().numTensors;
      const u = tf.tensor2d(problem.u!, [CONFIG.outputChannels, CONFIG.outputChannels]);
      await outputWith(problem, u);
      await outputWith(problem, u, false);
      expect(await usedBuffers(gpu), 'while the weights live').to.be.above(before);
      u.dispose();
      expect(tf.memory().numTensors).to.equal(tensors);
      expect(await usedBuffers(gpu), 'after disposing the weights').to.equal(before);
    });

    it('gives new weights their own U: a new tensor and an assigned Variable each match the reference', async () => {
      const problem = makeProblem(CONFIG);
      const other = makeProblem({...CONFIG, seed: 2});
      const otherProblem: Problem = {...problem, u: other.u};
      const shape: [number, number] = [CONFIG.outputChannels, CONFIG.outputChannels];
      const expected = referenceOf(problem).output;
      const expectedOther = referenceOf(otherProblem).output;

      const u = tf.tensor2d(problem.u!, shape);
      const uOther = tf.tensor2d(other.u!, shape);
      expectArraysClose(await outputWith(problem, u), expected, backend.tolerance, {what: 'first weights'});
      expectArraysClose(await outputWith(problem, uOther), expectedOther, backend.tolerance, {
        what: 'a new weights tensor',
      });

      const variable = tf.variable(u);
      expectArraysClose(await outputWith(problem, variable), expected, backend.tolerance, {
        what: 'a Variable',
      });
      variable.assign(uOther);
      expectArraysClose(await outputWith(problem, variable), expectedOther, backend.tolerance, {
        what: 'the Variable after assign',
      });
      tf.dispose([u, uOther, variable]);
    });
  });
}
