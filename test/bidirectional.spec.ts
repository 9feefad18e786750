/** singleGateRNNBidirectional: a forward and a backward stack over the same x, combined. */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNNBidirectional} from 'tfjs-single-gate-rnn';

import {referenceCombine, referenceStack} from './reference/sequence_reference.js';
import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {expectNoLeaks} from './util/memory.js';
import {
  descriptorsOf,
  initialStatesOf,
  makeStackProblem,
  readAll,
  StackProblem,
  xOf,
} from './util/stack_problem.js';

/** The forward and the backward layers' indices in `problem`, each in array order. */
function split(problem: StackProblem): {forward: number[]; backward: number[]} {
  const indices = problem.layers.map((_, k) => k);
  return {
    forward: indices.filter((k) => !problem.layers[k].backward),
    backward: indices.filter((k) => problem.layers[k].backward),
  };
}

/** Each stack's reference run; the backward stack's layers chain on their own, from x. */
function referenceOf(problem: StackProblem) {
  const {batch, time} = problem.config;
  const run = (indices: number[]) =>
    referenceStack(
      indices.map((k) => problem.layers[k]),
      problem.x,
      batch,
      time,
      problem.initialStates && indices.map((k) => problem.initialStates![k]),
      problem.lengths,
    );
  const {forward, backward} = split(problem);
  return {forward: run(forward), backward: run(backward)};
}

describeAllBackends('bidirectional', ({tolerance}) => {
  // Layers interleaved in the array: each stack chains its own in array order.
  const shapes = [
    {name: 'one layer each way', units: [5, 4], backward: [false, true]},
    {name: 'interleaved 2 + 2 layers', units: [4, 6, 3, 5], backward: [true, false, true, false]},
  ];
  for (const shape of shapes) {
    for (const initialStates of [false, true]) {
      it(`${shape.name}, ${initialStates ? 'given' : 'zero'} initial states, mode 'none'`, async () => {
        const problem = makeBidirectionalProblem(shape.units, shape.backward, initialStates, 41);
        const {batch, time} = problem.config;
        const {forward, backward} = split(problem);
        const got = await expectNoLeaks(() =>
          readAll(
            tf.tidy(() => {
              const states = initialStatesOf(problem);
              return singleGateRNNBidirectional(xOf(problem), descriptorsOf(problem), {
                initialStates: states && {
                  forward: forward.map((k) => states[k]),
                  backward: backward.map((k) => states[k]),
                },
                storeAllIntermediateStates: true,
              });
            }),
          ),
        );
        const expected = referenceOf(problem);
        expect(got.outputForward.shape).to.deep.equal([batch, time, problem.config.units[forward.at(-1)!]]);
        expectArraysClose(got.outputForward.data, expected.forward.output, tolerance, {
          what: 'outputForward',
        });
        expectArraysClose(got.outputBackward.data, expected.backward.output, tolerance, {
          what: 'outputBackward',
        });
        for (const direction of ['forward', 'backward'] as const) {
          expect(got.finalStates[direction]).to.have.lengthOf(expected[direction].finalStates.length);
          got.finalStates[direction].forEach((state, k) => {
            expectArraysClose(state.data, expected[direction].finalStates[k], tolerance, {
              what: `${direction} final state ${k}`,
            });
            expectArraysClose(
              got.intermediateStates![direction][k].data,
              expected[direction].states[k],
              tolerance,
              {
                what: `${direction} intermediate states ${k}`,
              },
            );
          });
        }
      });
    }
  }

  for (const mode of ['add', 'concatenate'] as const) {
    it(`'${mode}' matches the reference and equals combining the 'none' outputs`, async () => {
      const problem = makeBidirectionalProblem([5, 5], [false, true], true, 42);
      const {batch, time} = problem.config;
      const got = await expectNoLeaks(() =>
        readAll(
          tf.tidy(() => {
            const [forward, backward] = initialStatesOf(problem)!;
            const options = {initialStates: {forward: [forward], backward: [backward]}};
            const combined = singleGateRNNBidirectional(xOf(problem), descriptorsOf(problem), {
              ...options,
              bidirectionalCombineMode: mode,
            });
            const separate = singleGateRNNBidirectional(xOf(problem), descriptorsOf(problem), options);
            const [a, b] = [separate.outputForward, separate.outputBackward];
            return {combined, fromNone: mode === 'add' ? tf.add(a, b) : tf.concat([a, b], 2)};
          }),
        ),
      );
      const expected = referenceOf(problem);
      const units = mode === 'add' ? 5 : 10;
      expect(got.combined.output.shape).to.deep.equal([batch, time, units]);
      const reference = referenceCombine(
        mode,
        expected.forward.output,
        expected.backward.output,
        batch,
        time,
        5,
        5,
      );
      expectArraysClose(got.combined.output.data, reference, tolerance, {what: `${mode} output`});
      expectArraysClose(got.combined.output.data, got.fromNone.data, tolerance, {what: `${mode} vs 'none'`});
    });
  }

  it("'concatenate' puts the forward channels first, also with different unit counts", async () => {
    const problem = makeBidirectionalProblem([3, 6], [false, true], false, 43);
    const {batch, time} = problem.config;
    const got = await readAll(
      tf.tidy(() =>
        singleGateRNNBidirectional(xOf(problem), descriptorsOf(problem), {
          bidirectionalCombineMode: 'concatenate',
        }),
      ),
    );
    const expected = referenceOf(problem);
    const reference = referenceCombine(
      'concatenate',
      expected.forward.output,
      expected.backward.output,
      batch,
      time,
      3,
      6,
    );
    expect(got.output.shape).to.deep.equal([batch, time, 9]);
    expectArraysClose(got.output.data, reference, tolerance, {what: 'output'});
  });
});

function makeBidirectionalProblem(
  units: number[],
  backward: boolean[],
  initialStates: boolean,
  seed: number,
): StackProblem {
  return makeStackProblem({
    batch: 3,
    time: 6,
    inputChannels: 4,
    units,
    backward,
    initialStates,
    perDirection: true,
    seed,
  });
}
