/**
 * Stacks, bidirectional calls and sequence lengths on each GPU backend against the same calls on the
 * cpu backend: random layer counts, unit counts, directions, combine modes, lengths and initial states.
 * Every case names its seed, so a failure can be rerun alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNN, singleGateRNNBidirectional} from 'tfjs-single-gate-rnn';

import {backendsWithKernel, useBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {Random} from './util/random.js';
import {
  descriptorsOf,
  initialStatesOf,
  makeStackProblem,
  readAll,
  StackConfig,
  StackProblem,
  Values,
  xOf,
} from './util/stack_problem.js';

const CASES = 16;
const UNITS = [1, 3, 4, 16, 33, 64];
const GPU_BACKENDS = backendsWithKernel().filter((b) => b.name !== 'cpu');

type Call = 'stack' | 'none' | 'add' | 'concatenate';

function randomCase(seed: number): {call: Call; config: StackConfig} {
  const random = new Random(seed);
  const call = random.pick(['stack', 'none', 'add', 'concatenate'] as const);
  const layers = random.int(1, 3);
  const sameUnits = random.pick(UNITS);
  const units = Array.from({length: layers + (call === 'stack' ? 0 : 1)}, () =>
    call === 'add' ? sameUnits : random.pick(UNITS),
  );
  // A bidirectional case has at least one layer each way: the first two go opposite ways.
  const backward = units.map((_, k) => (call !== 'stack' && k < 2 ? k === 1 : random.next() < 0.5));
  return {
    call,
    config: {
      batch: random.int(1, 5),
      time: random.pick([1, 2, 7, 20]),
      inputChannels: random.int(1, 12),
      units,
      backward,
      perDirection: call !== 'stack',
      initialStates: random.next() < 0.5,
      lengths: random.next() < 0.6 ? 'random' : undefined,
      float16Weights: random.next() < 0.3,
      seed,
    },
  };
}

/** Every output and state of the call, read back. */
async function run(call: Call, problem: StackProblem): Promise<Values[]> {
  const result = tf.tidy(() => {
    const descriptors = descriptorsOf(problem);
    const states = initialStatesOf(problem);
    const common = {sequenceLengths: problem.lengths, storeAllIntermediateStates: true};
    if (call === 'stack') return singleGateRNN(xOf(problem), descriptors, {...common, initialState: states});
    const pick = (backward: boolean) =>
      states && states.filter((_, k) => problem.layers[k].backward === backward);
    return singleGateRNNBidirectional(xOf(problem), descriptors, {
      ...common,
      initialStates: states && {forward: pick(false), backward: pick(true)},
      bidirectionalCombineMode: call,
    });
  });
  const flat: Values[] = [];
  const collect = (value: unknown): void => {
    if (value != null && typeof value === 'object' && 'data' in value) flat.push(value as Values);
    else if (value != null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(await readAll(result));
  return flat;
}

for (const backend of GPU_BACKENDS) {
  describe(`${backend.name} against cpu: stacks, bidirectional, lengths`, () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const {call, config} = randomCase(seed);
      const name =
        `seed ${seed}: ${call}, units ${config.units.join('/')} ` +
        `(${config.backward!.map((b) => (b ? 'b' : 'f')).join('')}), batch ${config.batch}, ` +
        `time ${config.time}${config.lengths ? ', lengths' : ''}${config.initialStates ? ', states' : ''}`;
      it(name, async () => {
        const problem = makeStackProblem(config);
        await useBackend('cpu');
        const expected = await run(call, problem);
        await useBackend(backend.name);
        const got = await run(call, problem);
        expect(got).to.have.lengthOf(expected.length);
        got.forEach((values, k) => {
          expectArraysClose(values.data, expected[k].data, backend.tolerance, {
            what: `tensor ${k}`,
            shape: values.shape,
          });
        });
      });
    }
  });
}
