/** Single steps (x of rank 2) and chunks with the state carried: the streaming path. */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNN, SingleGateRNNResult} from 'tfjs-single-gate-rnn';

import {referenceStack} from './reference/sequence_reference.js';
import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {expectNoLeaks} from './util/memory.js';
import {descriptorsOf, initialStatesOf, makeStackProblem, readAll, xOf} from './util/stack_problem.js';

describeAllBackends('single steps and chunks', ({tolerance}) => {
  it('one step of one layer: output and final state are h1, [batch, units]', async () => {
    const problem = makeStackProblem({
      batch: 3,
      time: 1,
      inputChannels: 4,
      units: [5],
      initialStates: true,
      seed: 61,
    });
    const got = await expectNoLeaks(() =>
      readAll(
        tf.tidy(() => {
          const x = tf.reshape<tf.Rank.R2>(xOf(problem), [3, 4]);
          return singleGateRNN(x, descriptorsOf(problem)[0], {initialState: initialStatesOf(problem)![0]});
        }),
      ),
    );
    const expected = referenceStack(problem.layers, problem.x, 3, 1, problem.initialStates, null);
    expect(got.output.shape).to.deep.equal([3, 5]);
    expect(got.finalState.shape).to.deep.equal([3, 5]);
    expectArraysClose(got.output.data, expected.output, tolerance, {what: 'output'});
    expect(Array.from(got.finalState.data)).to.deep.equal(Array.from(got.output.data));
  });

  it('steps of a stack, each fed the previous finalStates, equal one call over the sequence', async () => {
    const problem = makeStackProblem({
      batch: 2,
      time: 9,
      inputChannels: 3,
      units: [6, 4],
      initialStates: true,
      seed: 62,
    });
    const {batch, time, inputChannels} = problem.config;
    await expectNoLeaks(async () => {
      const got = await readAll(
        tf.tidy(() => {
          const descriptors = descriptorsOf(problem);
          const x = xOf(problem);
          const whole = singleGateRNN(x, descriptors, {initialState: initialStatesOf(problem)});
          let states: tf.Tensor2D[] = initialStatesOf(problem)!;
          const outputs: tf.Tensor2D[] = [];
          for (let t = 0; t < time; t++) {
            const slice = tf.slice(x, [0, t, 0], [batch, 1, inputChannels]);
            const step = tf.reshape<tf.Rank.R2>(slice, [batch, inputChannels]);
            const r = singleGateRNN(step, descriptors, {initialState: states});
            expect(r.output.shape).to.deep.equal([batch, 4]);
            outputs.push(r.output);
            states = r.finalStates;
          }
          return {whole, stepped: tf.stack(outputs, 1), states};
        }),
      );
      expectArraysClose(got.stepped.data, got.whole.output.data, tolerance, {
        what: 'outputs, stepped vs whole',
      });
      got.states.forEach((state, k) => {
        expectArraysClose(state.data, got.whole.finalStates[k].data, tolerance, {what: `final state ${k}`});
      });
    });
  });

  for (const backward of [false, true]) {
    it(`chunks of a ${backward ? 'backward' : 'forward'} layer with the state carried equal one call`, async () => {
      const problem = makeStackProblem({
        batch: 3,
        time: 10,
        inputChannels: 2,
        units: [5],
        backward: [backward],
        seed: 63,
      });
      const {batch, time, inputChannels} = problem.config;
      // Chunk boundaries in time; a backward layer takes the chunks from the last one.
      const starts = [0, 4, 5, 9];
      const got = await readAll(
        tf.tidy(() => {
          const [descriptor] = descriptorsOf(problem);
          const x = xOf(problem);
          const whole = singleGateRNN(x, descriptor);
          const chunks = starts.map((start, k) => [start, (starts[k + 1] ?? time) - start]);
          if (backward) chunks.reverse();
          let state: tf.Tensor2D | null = null;
          const outputs = new Map<number, tf.Tensor3D>();
          for (const [start, size] of chunks) {
            const r: SingleGateRNNResult = singleGateRNN(
              tf.slice(x, [0, start, 0], [batch, size, inputChannels]),
              descriptor,
              {
                initialState: state,
              },
            );
            outputs.set(start, r.output);
            state = r.finalState;
          }
          return {
            whole,
            chunked: tf.concat(
              starts.map((s) => outputs.get(s)!),
              1,
            ),
            state: state!,
          };
        }),
      );
      expectArraysClose(got.chunked.data, got.whole.output.data, tolerance, {
        what: 'outputs, chunked vs whole',
      });
      expectArraysClose(got.state.data, got.whole.finalState.data, tolerance, {what: 'final state'});
    });
  }
});
