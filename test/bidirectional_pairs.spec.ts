/**
 * Bidirectional calls on a backend with the `SingleGateRNNBidirectional` kernel (webgpu): each layer
 * pair of the two stacks runs in one kernel call (both recurrences in the same dispatches), and gives
 * exactly what the two stacks give run one after the other on the same backend; nothing is read back
 * during the call, sequence lengths included (random stacks, combine modes, lengths with zeros, full
 * rows and any order, lengths as numbers or as a tensor).
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {BidirectionalCombineMode, singleGateRNN, singleGateRNNBidirectional} from 'tfjs-single-gate-rnn';

import {SingleGateRNNBidirectional as SingleGateRNNBidirectionalKernelName} from '../src/contracts/pair_kernel.js';
import {SingleGateRNN as SingleGateRNNKernelName} from '../src/contracts/matrix_kernel.js';
import {backendsWithKernel, useBackend} from './util/backends.js';
import {expectNoLeaks} from './util/memory.js';
import {Random} from './util/random.js';
import {withReadsRecorded} from './util/reads.js';
import {
  descriptorsOf,
  makeStackProblem,
  readAll,
  StackConfig,
  StackProblem,
  weightTensorsOf,
  xOf,
} from './util/stack_problem.js';

const CASES = 10;
const UNITS = [1, 4, 7, 32];
const MODES: BidirectionalCombineMode[] = ['none', 'add', 'concatenate'];
const PAIR_BACKENDS = backendsWithKernel(SingleGateRNNBidirectionalKernelName).filter(
  (b) => tf.getKernel(SingleGateRNNBidirectionalKernelName, b.name) != null,
);

interface PairCase {
  config: StackConfig;
  mode: BidirectionalCombineMode;
  lengthsAsTensor: boolean;
}

/**
 * Two stacks of 1..3 layers; at each depth both layers have the same units, except that now and then
 * one pair differs (and runs as two calls).
 */
function randomCase(seed: number): PairCase {
  const random = new Random(seed);
  const depths = [random.int(1, 3), random.int(1, 3)];
  const mode = random.pick(MODES);
  const units: number[] = [];
  const backward: boolean[] = [];
  for (let k = 0; k < Math.max(...depths); k++) {
    const shared = random.pick(UNITS);
    const split = depths[0] > k && depths[1] > k && random.next() < 0.25;
    for (const d of [0, 1]) {
      if (depths[d] <= k) continue;
      units.push(split && d === 1 ? (shared % 7) + 2 : shared);
      backward.push(d === 1);
    }
  }
  // 'add' needs both last layers of one size: the last layer of the deeper stack takes the other's.
  if (mode === 'add') {
    const last = (d: number) => backward.lastIndexOf(d === 1);
    units[last(1)] = units[last(0)];
  }
  return {
    config: {
      batch: random.int(1, 5),
      time: random.pick([1, 3, 9, 20]),
      inputChannels: random.int(1, 6),
      units,
      backward,
      perDirection: true,
      initialStates: random.next() < 0.5,
      lengths: random.next() < 0.7 ? 'random' : undefined,
      float16Weights: random.next() < 0.3,
      seed,
    },
    mode,
    lengthsAsTensor: random.next() < 0.5,
  };
}

/** Pairs that share dispatches, counted from the problem's layers: the same units at the same depth. */
function pairsOf(problem: StackProblem): number {
  const [forward, backward] = [false, true].map((b) => problem.layers.filter((l) => l.backward === b));
  return forward.filter((layer, k) => backward[k]?.outputChannels === layer.outputChannels).length;
}

/** Records the engine's kernel calls and the backend's reads while `fn` runs. */
function watched<T>(fn: () => T): {result: T; kernels: string[]; reads: string[]} {
  const engine = tf.engine() as unknown as {runKernel: (name: string, ...rest: unknown[]) => unknown};
  const kernels: string[] = [];
  const runKernel = engine.runKernel;
  engine.runKernel = (name: string, ...rest: unknown[]) => {
    kernels.push(name);
    return runKernel.call(engine, name, ...rest);
  };
  try {
    return {...withReadsRecorded(fn), kernels};
  } finally {
    engine.runKernel = runKernel;
  }
}

/** The problem's per-direction initial states as tensors. */
function statesOf(problem: StackProblem, backward: boolean): tf.Tensor2D[] | undefined {
  if (problem.initialStates == null) return undefined;
  return problem.layers.flatMap((layer, k) =>
    layer.backward === backward
      ? [tf.tensor2d(problem.initialStates![k], [problem.config.batch, layer.outputChannels])]
      : [],
  );
}

for (const backend of PAIR_BACKENDS) {
  describe(`${backend.name}: bidirectional layer pairs in one kernel call`, () => {
    before(() => useBackend(backend.name));
    beforeEach(() => useBackend(backend.name));

    for (let seed = 1; seed <= CASES; seed++) {
      const pairCase = randomCase(seed);
      const {config, mode} = pairCase;
      const depths = [false, true].map((b) => config.backward!.filter((x) => x === b).length);
      it(
        `seed ${seed}: ${mode}, units ${config.units.join('/')} (${depths.join('+')} layers), batch ` +
          `${config.batch}, time ${config.time}${config.lengths ? ', lengths' : ''}` +
          `${pairCase.lengthsAsTensor ? ' (tensor)' : ''}`,
        async () => {
          const problem = makeStackProblem(config);
          const pairs = pairsOf(problem);
          await expectNoLeaks(async () => {
            const lengths =
              problem.lengths && pairCase.lengthsAsTensor
                ? tf.tensor1d(problem.lengths, 'int32')
                : problem.lengths;
            const x = xOf(problem);
            const descriptors = descriptorsOf(problem);
            const states = {forward: statesOf(problem, false), backward: statesOf(problem, true)};
            const common = {sequenceLengths: lengths, storeAllIntermediateStates: true};
            const run = watched(() =>
              singleGateRNNBidirectional(x, descriptors, {
                ...common,
                initialStates: states,
                bidirectionalCombineMode: mode,
              }),
            );
            expect(run.reads, 'reads during the call').to.deep.equal([]);
            const kernelCalls = (name: string) => run.kernels.filter((k) => k === name).length;
            expect(kernelCalls(SingleGateRNNBidirectionalKernelName), 'pair kernel calls').to.equal(pairs);
            expect(kernelCalls(SingleGateRNNKernelName), 'single-layer kernel calls').to.equal(
              problem.layers.length - 2 * pairs,
            );

            // The same stacks one after the other: one singleGateRNN call per direction.
            const apart = tf.tidy(() => {
              const stack = (backward: boolean) =>
                singleGateRNN(
                  x,
                  descriptors.filter((_, k) => problem.layers[k].backward === backward),
                  {...common, initialState: backward ? states.backward : states.forward},
                );
              const [forward, backwardRun] = [stack(false), stack(true)];
              const perDirection = {
                finalStates: {forward: forward.finalStates, backward: backwardRun.finalStates},
                intermediateStates: {
                  forward: forward.intermediateStates!,
                  backward: backwardRun.intermediateStates!,
                },
              };
              if (mode === 'none') {
                return {outputForward: forward.output, outputBackward: backwardRun.output, ...perDirection};
              }
              const output =
                mode === 'add'
                  ? tf.add(forward.output, backwardRun.output)
                  : tf.concat([forward.output, backwardRun.output], 2);
              return {output, ...perDirection};
            });
            const [got, expected] = [await readAll(run.result), await readAll(apart)];
            // Bit for bit: each direction computes exactly what its own call computes.
            expect(
              JSON.stringify(got, (_, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v)),
            ).to.equal(
              JSON.stringify(expected, (_, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v)),
            );
            tf.dispose([
              x,
              ...(lengths instanceof tf.Tensor ? [lengths] : []),
              ...(states.forward ?? []),
              ...(states.backward ?? []),
            ]);
            tf.dispose(weightTensorsOf(descriptors));
          });
        },
      );
    }

    it('runs a pair whose recurrence is stepwise (U over 1 MiB: 600 float32 units) as two calls, faster there', async () => {
      const problem = makeStackProblem({
        batch: 1,
        time: 2,
        inputChannels: 2,
        units: [600, 600],
        backward: [false, true],
        perDirection: true,
        seed: 7,
      });
      await expectNoLeaks(async () => {
        const x = xOf(problem);
        const descriptors = descriptorsOf(problem);
        const run = watched(() =>
          singleGateRNNBidirectional(x, descriptors, {bidirectionalCombineMode: 'concatenate'}),
        );
        const kernelCalls = (name: string) => run.kernels.filter((k) => k === name).length;
        expect(kernelCalls(SingleGateRNNBidirectionalKernelName), 'pair kernel calls').to.equal(0);
        expect(kernelCalls(SingleGateRNNKernelName), 'single-layer kernel calls').to.equal(2);
        const apart = tf.tidy(() =>
          tf.concat(
            [false, true].map(
              (backward) =>
                singleGateRNN(
                  x,
                  descriptors.filter((_, k) => problem.layers[k].backward === backward),
                ).output,
            ),
            2,
          ),
        );
        expect(Array.from(await run.result.output.data())).to.deep.equal(Array.from(await apart.data()));
        tf.dispose([
          x,
          run.result.output,
          apart,
          ...run.result.finalStates.forward,
          ...run.result.finalStates.backward,
        ]);
        tf.dispose(weightTensorsOf(descriptors));
      });
    });
  });
}
