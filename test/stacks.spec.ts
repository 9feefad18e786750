/** Stacks: an array of descriptors, each layer in its own direction, per-layer states. */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNN} from 'tfjs-single-gate-rnn';

import {referenceStack} from './reference/sequence_reference.js';
import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {expectNoLeaks} from './util/memory.js';
import {
  descriptorsOf,
  initialStatesOf,
  makeStackProblem,
  readAll,
  StackConfig,
  xOf,
} from './util/stack_problem.js';

describeAllBackends('stacks', ({tolerance}) => {
  const cases: Array<[string, Omit<StackConfig, 'seed'>]> = [
    ['one layer in an array', {batch: 2, time: 5, inputChannels: 3, units: [4]}],
    ['2 forward layers', {batch: 3, time: 7, inputChannels: 4, units: [6, 5]}],
    [
      '3 layers forward, backward, forward',
      {batch: 2, time: 6, inputChannels: 5, units: [4, 7, 3], backward: [false, true, false]},
    ],
    [
      '2 backward layers, float16 weights',
      {batch: 2, time: 4, inputChannels: 3, units: [5, 5], backward: [true, true], float16Weights: true},
    ],
  ];
  for (const [name, shape] of cases) {
    for (const initialStates of [false, true]) {
      it(`${name}, ${initialStates ? 'given' : 'zero'} initial states, matches the reference`, async () => {
        const problem = makeStackProblem({...shape, initialStates, seed: 31});
        const {batch, time, units} = problem.config;
        const got = await expectNoLeaks(() =>
          readAll(
            tf.tidy(() =>
              singleGateRNN(xOf(problem), descriptorsOf(problem), {
                initialState: initialStatesOf(problem),
                storeAllIntermediateStates: true,
              }),
            ),
          ),
        );
        const expected = referenceStack(problem.layers, problem.x, batch, time, problem.initialStates, null);
        const last = units.length - 1;
        expect(got.output.shape).to.deep.equal([batch, time, units[last]]);
        expectArraysClose(got.output.data, expected.output, tolerance, {
          what: 'output',
          shape: got.output.shape,
        });
        expect(got.finalStates.map((s) => s.shape)).to.deep.equal(units.map((h) => [batch, h]));
        expect(got.intermediateStates!.map((s) => s.shape)).to.deep.equal(units.map((h) => [batch, time, h]));
        units.forEach((_, k) => {
          expectArraysClose(got.finalStates[k].data, expected.finalStates[k], tolerance, {
            what: `final state of layer ${k}`,
          });
          expectArraysClose(got.intermediateStates![k].data, expected.states[k], tolerance, {
            what: `intermediate states of layer ${k}`,
          });
        });
        expect(Array.from(got.finalState.data)).to.deep.equal(Array.from(got.finalStates[last].data));
      });
    }
  }

  it('a stack equals chaining single-layer calls, each from its own initial state', async () => {
    const problem = makeStackProblem({
      batch: 3,
      time: 5,
      inputChannels: 4,
      units: [6, 3, 5],
      backward: [true, false, true],
      initialStates: true,
      seed: 32,
    });
    await expectNoLeaks(async () => {
      const [stacked, chained] = tf.tidy(() => {
        const descriptors = descriptorsOf(problem);
        const states = initialStatesOf(problem)!;
        const stack = singleGateRNN(xOf(problem), descriptors, {initialState: states});
        let input = xOf(problem);
        const finals: tf.Tensor2D[] = [];
        descriptors.forEach((descriptor, k) => {
          const run = singleGateRNN(input, descriptor, {initialState: states[k]});
          finals.push(run.finalState);
          input = run.output;
        });
        return [stack, {output: input, finalStates: finals}];
      });
      const [a, b] = [await readAll(stacked), await readAll(chained)];
      expectArraysClose(a.output.data, b.output.data, tolerance, {what: 'output'});
      a.finalStates.forEach((state, k) => {
        expectArraysClose(state.data, b.finalStates[k].data, tolerance, {what: `final state of layer ${k}`});
      });
    });
  });

  it('one descriptor keeps the result it always had; the array form adds finalStates', () => {
    tf.tidy(() => {
      const problem = makeStackProblem({batch: 2, time: 3, inputChannels: 2, units: [3], seed: 33});
      const [descriptor] = descriptorsOf(problem);
      const single = singleGateRNN(xOf(problem), descriptor, {storeAllIntermediateStates: true});
      expect(Object.keys(single).sort()).to.deep.equal(['finalState', 'intermediateStates', 'output']);
      expect(single.intermediateStates).to.be.instanceOf(tf.Tensor);
      expect(Object.keys(singleGateRNN(xOf(problem), descriptor)).sort()).to.deep.equal([
        'finalState',
        'output',
      ]);
      const stacked = singleGateRNN(xOf(problem), [descriptor], {storeAllIntermediateStates: true});
      expect(Object.keys(stacked).sort()).to.deep.equal([
        'finalState',
        'finalStates',
        'intermediateStates',
        'output',
      ]);
      expect(stacked.intermediateStates).to.be.an('array').with.lengthOf(1);
      expect(stacked.finalState).to.equal(stacked.finalStates[0]);
    });
  });

  it('an initial state per layer may be null (zeros), and one tensor serves a one-layer stack', async () => {
    const problem = makeStackProblem({
      batch: 2,
      time: 4,
      inputChannels: 3,
      units: [4, 5],
      initialStates: true,
      seed: 34,
    });
    const {batch, time} = problem.config;
    const got = await readAll(
      tf.tidy(() => {
        const states = initialStatesOf(problem)!;
        const descriptors = descriptorsOf(problem);
        return {
          partial: singleGateRNN(xOf(problem), descriptors, {initialState: [null, states[1]]}),
          one: singleGateRNN(xOf(problem), [descriptors[0]], {initialState: states[0]}),
        };
      }),
    );
    const partial = referenceStack(
      problem.layers,
      problem.x,
      batch,
      time,
      [null, problem.initialStates![1]],
      null,
    );
    expectArraysClose(got.partial.output.data, partial.output, tolerance, {
      what: 'output, layer 0 from zeros',
    });
    const one = referenceStack(
      problem.layers.slice(0, 1),
      problem.x,
      batch,
      time,
      problem.initialStates,
      null,
    );
    expectArraysClose(got.one.output.data, one.output, tolerance, {what: 'output of a one-layer stack'});
  });

  it('layers chain on the device: nothing is read back between layers', () => {
    const problem = makeStackProblem({batch: 2, time: 6, inputChannels: 3, units: [4, 4, 4], seed: 35});
    const backend = tf.backend() as unknown as Record<'read' | 'readSync', (...args: unknown[]) => unknown>;
    const reads: string[] = [];
    const originals = {read: backend.read, readSync: backend.readSync};
    for (const name of ['read', 'readSync'] as const) {
      backend[name] = (...args: unknown[]) => {
        reads.push(name);
        return originals[name].apply(backend, args);
      };
    }
    try {
      tf.tidy(() => {
        const descriptors = descriptorsOf(problem);
        const x = xOf(problem);
        reads.length = 0;
        singleGateRNN(x, descriptors);
      });
    } finally {
      Object.assign(backend, originals);
    }
    // The cpu kernel reads its inputs from host memory by design; a GPU backend reads nothing.
    if (tf.getBackend() !== 'cpu') expect(reads).to.deep.equal([]);
    else expect(reads.every((name) => name === 'readSync')).to.equal(true);
  });
});
