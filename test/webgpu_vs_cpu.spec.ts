/**
 * Randomized agreement between each GPU backend's kernel and the cpu kernel: random shapes (unit counts
 * around the WebGPU kernel's block sizes) and random configurations
 * (neuron, direction, unit-transform mode, null sources, float16 weights, initial state, mask), plus
 * pinned cases for both recurrence strategies. Every case names its seed, so a failure can be rerun
 * alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {backendsWithKernel, useBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {NEURONS} from './util/neurons.js';
import {makeProblem, ProblemConfig, runOp} from './util/problem.js';
import {Random} from './util/random.js';

const CASES = 40;
/** Unit counts: 1, around multiples of 4 / 32 / 64, and one past the persistent strategy (U > 1 MiB). */
const UNITS = [1, 3, 4, 5, 16, 31, 32, 33, 63, 64, 65, 100, 128, 130];
const LARGE_UNITS = 600;

function randomConfig(seed: number): ProblemConfig {
  const random = new Random(seed);
  const neuron = NEURONS[random.pick(Object.keys(NEURONS))];
  // A few cases take the large-U path; keep their sequences short, software GPUs are slow.
  const large = seed % 13 === 0;
  const outputChannels = large ? LARGE_UNITS : random.pick(UNITS);
  const unitTransform = random.next() < 0.15;
  return {
    batch: large ? random.int(1, 3) : random.int(1, 6),
    time: large ? random.int(1, 4) : random.pick([1, 2, 7, 20, 64]),
    inputChannels: unitTransform ? outputChannels : random.int(1, 40),
    outputChannels,
    neuron: random.next() < 0.5 ? neuron.usual : neuron.custom,
    weightScale: neuron.weightScale,
    inputWeights: random.pick(['bias', 'bias', 'bias', 'noBias', 'null'] as const),
    recurrentWeights: random.next() < 0.85,
    unitTransform,
    float32Weights: random.next() < 0.5,
    backward: random.next() < 0.5,
    initialState: random.next() < 0.5,
    mask: random.pick([undefined, undefined, 'random', 'lengths'] as const),
    seed,
  };
}

/**
 * Fixed cases for the paths random draws could miss: the sliced strategy (float32 U over 1 MiB, more
 * than one step, with a mask and without an initial state) and a persistent loop cut into several
 * dispatches (more steps than one dispatch runs).
 */
const TANH = NEURONS.tanh.usual;
const PINNED: ProblemConfig[] = [
  {
    batch: 2,
    time: 3,
    inputChannels: 5,
    outputChannels: LARGE_UNITS,
    neuron: TANH,
    float32Weights: true,
    initialState: true,
    mask: 'random',
    seed: 101,
  },
  {
    batch: 3,
    time: 4,
    inputChannels: 7,
    outputChannels: LARGE_UNITS,
    neuron: TANH,
    float32Weights: true,
    backward: true,
    seed: 102,
  },
  {
    batch: 2,
    time: 1500,
    inputChannels: 3,
    outputChannels: 8,
    neuron: TANH,
    mask: 'lengths',
    backward: true,
    initialState: true,
    seed: 103,
  },
  {batch: 1, time: 2100, inputChannels: 2, outputChannels: 5, neuron: TANH, float32Weights: true, seed: 104},
];

const GPU_BACKENDS = backendsWithKernel().filter((b) => b.name !== 'cpu');

for (const backend of GPU_BACKENDS) {
  describe(`${backend.name} against the cpu kernel, random configurations`, () => {
    const configs = [...Array.from({length: CASES}, (_, k) => randomConfig(k + 1)), ...PINNED];
    for (const config of configs) {
      const {batch, time, inputChannels, outputChannels, seed} = config;
      it(`seed ${seed}: [${batch}, ${time}, ${inputChannels}] -> ${outputChannels}, ${config.neuron.type}`, async () => {
        const problem = makeProblem(config);
        await useBackend('cpu');
        const expected = await runOp(problem);
        await useBackend(backend.name);
        const tensors = tf.memory().numTensors;
        const got = await runOp(problem);
        expect(tf.memory().numTensors, 'tensors left behind').to.equal(tensors);
        expectArraysClose(got.output, expected.output, backend.tolerance, {
          what: 'output',
          shape: got.outputShape,
        });
        expectArraysClose(got.finalState, expected.finalState, backend.tolerance, {what: 'final state'});
      });
    }
  });
}
