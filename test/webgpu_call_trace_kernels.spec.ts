/**
 * The pair kernel (SingleGateRNNBidirectional, both directions in one call) and the image kernel
 * (SingleGateConvRNN) trace a call's work as the one-direction kernel does
 * (kernels/webgpu/call_trace.ts): a later call of the same configuration, on new tensors of other
 * values, is replayed (no program made for it), gives the same bits as the backend running every
 * program itself, agrees with the cpu kernel, and leaves nothing behind (the intermediates the pair
 * kernel releases are released in replays too).
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNNBidirectional, type BidirectionalCombineMode} from 'tfjs-single-gate-rnn';

import {SingleGateConvRNN} from '../src/contracts/image_kernel.js';
import {backendsWithKernel, useBackend, type BackendUnderTest} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {makeConvProblem, runConvKernel, type ConvProblemConfig} from './util/conv_kernel_problem.js';
import {withCpuReference} from './util/cpu_reference.js';
import {expectNoLeaks} from './util/memory.js';
import {expectReplayedFromTrace, programsRun, untracedRun} from './util/program_runs.js';
import {Random} from './util/random.js';
import {descriptorsOf, initialStatesOf, makeStackProblem, readAll, xOf} from './util/stack_problem.js';

/** What a pair call is given besides x and its layers. */
type PairExtras = 'none' | 'mask and initial states' | 'a forward initial state only' | 'sequence lengths';

/** One forward and one backward layer over x, with `extras`, from `seed`. */
function pairProblem(seed: number, extras: PairExtras) {
  const [batch, time] = [3, 6];
  const problem = makeStackProblem({
    batch,
    time,
    inputChannels: 3,
    units: [5, 5],
    backward: [false, true],
    perDirection: true,
    initialStates: extras === 'mask and initial states' || extras === 'a forward initial state only',
    lengths: extras === 'sequence lengths' ? 'random' : undefined,
    seed,
  });
  const random = new Random(seed + 1000);
  const mask =
    extras === 'mask and initial states'
      ? Float32Array.from({length: batch * time}, () => (random.next() < 0.35 ? 0 : 1))
      : null;
  return {problem, mask, backwardState: extras !== 'a forward initial state only'};
}

/** Every value of the op's results on `pair` in `mode`, in result order; nothing left behind. */
async function runPair(
  pair: ReturnType<typeof pairProblem>,
  mode: BidirectionalCombineMode,
): Promise<number[]> {
  const {problem, mask, backwardState} = pair;
  const {batch, time} = problem.config;
  const results = tf.tidy(() => {
    const states = initialStatesOf(problem);
    return singleGateRNNBidirectional(xOf(problem), descriptorsOf(problem), {
      bidirectionalCombineMode: mode,
      initialStates: states && {forward: [states[0]], backward: [backwardState ? states[1] : null]},
      mask: mask && tf.tensor2d(mask, [batch, time], 'bool'),
      sequenceLengths: problem.lengths,
    });
  });
  const values: number[] = [];
  const collect = (value: unknown): void => {
    if (value instanceof Float32Array) values.push(...value);
    else if (value != null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(await readAll(results));
  return values;
}

const CONV_BASE: Omit<ConvProblemConfig, 'seed'> = {
  batch: 2,
  time: 4,
  height: 5,
  width: 4,
  inputChannels: 3,
  outputChannels: 4,
  inputKernel: [3, 3],
  recurrentKernel: [3, 3],
  padding: 'mps',
  neuron: {type: 'tanh', a: 1, b: 1, c: 0},
};

const CONV_CONFIGS: Array<[string, Omit<ConvProblemConfig, 'seed'>]> = [
  ['3x3 windows, float32 weights', {...CONV_BASE, inputKernel: [3, 3], float32Weights: true}],
  [
    'float16 weights, backward, mask and initial state, same padding',
    {
      ...CONV_BASE,
      inputKernel: [1, 2],
      recurrentKernel: [2, 3],
      padding: 'same',
      backward: true,
      mask: 'random',
      initialState: true,
    },
  ],
  ['unit transform', {...CONV_BASE, inputChannels: 4, unitTransform: true, float32Weights: true}],
  [
    'no recurrent weights, mask and initial state',
    {...CONV_BASE, recurrentWeights: false, mask: 'lengths', initialState: true},
  ],
  ['no input weights', {...CONV_BASE, inputWeights: 'null', float32Weights: true}],
  [
    'a dispatch per step (a large image)',
    {...CONV_BASE, batch: 1, time: 3, height: 34, width: 30, outputChannels: 9, recurrentKernel: [2, 2]},
  ],
];

/**
 * Traces `call` on `make(1)`'s inputs, then checks a call on `make(2)`'s: replayed from the trace
 * (running `program` among others), nothing left, the same bits as the backend's own dispatches, close
 * to the cpu kernel's.
 */
async function expectTracedCall<P>(
  backend: BackendUnderTest,
  make: (seed: number) => P,
  call: (problem: P) => Promise<number[]>,
  program: string,
): Promise<void> {
  await call(make(1));
  const problem = make(2);
  // The engine counts the tensors it made; the backend also the data a kernel made and released.
  const backendData = () => (tf.backend() as WebGPUBackend).numDataIds();
  const before = backendData();
  const {result: replayed, runs} = await expectNoLeaks(() => programsRun(() => call(problem)));
  expect(backendData(), 'backend data left behind by a replayed call').to.equal(before);
  expectReplayedFromTrace(runs, program);
  const direct = await untracedRun(() => call(problem));
  expect(replayed, 'a replayed call against the backend running every program').to.deep.equal(direct);
  await useBackend('cpu');
  const expected = await withCpuReference(() => call(problem));
  await useBackend(backend.name);
  expectArraysClose(Float32Array.from(replayed), Float32Array.from(expected), backend.tolerance, {
    what: 'a replayed call against the cpu kernel',
  });
}

for (const backend of backendsWithKernel(SingleGateConvRNN).filter((b) => b.name === 'webgpu')) {
  describe(`${backend.name}: pair and image calls replayed from their traces`, () => {
    beforeEach(() => useBackend(backend.name));

    for (const mode of ['none', 'add', 'concatenate'] as const) {
      const allExtras: PairExtras[] = [
        'none',
        'mask and initial states',
        'a forward initial state only',
        'sequence lengths',
      ];
      for (const extras of allExtras) {
        it(`a bidirectional pair, combine mode '${mode}', extras: ${extras}`, async () => {
          // JoinDirectionsProgram runs in the pair kernel only: the pair ran as one kernel call.
          await expectTracedCall(
            backend,
            (seed) => pairProblem(seed, extras),
            (pair) => runPair(pair, mode),
            'JoinDirectionsProgram',
          );
        });
      }
    }

    for (const [name, config] of CONV_CONFIGS) {
      it(`an image call: ${name}`, async () => {
        const program =
          config.recurrentWeights === false ? 'ElementwiseRecurrenceProgram' : 'ConvRecurrenceProgram';
        await expectTracedCall(
          backend,
          (seed) => makeConvProblem({...config, seed}),
          async (problem) => {
            const run = await runConvKernel(problem);
            return [...run.output, ...run.finalState];
          },
          program,
        );
      });
    }
  });
}
