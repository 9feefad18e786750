/** Directions, initial state, final and intermediate states, batch and sequence lengths. */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNN} from 'tfjs-single-gate-rnn';

import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {descriptorOf, makeProblem, ProblemConfig, referenceOf, runOp} from './util/problem.js';

const TANH = {type: 'tanh', a: 1, b: 1, c: 0};

describeAllBackends('sequences', ({tolerance}) => {
  const cases: Array<[string, Partial<ProblemConfig>]> = [
    ['batch 1, time 1', {batch: 1, time: 1}],
    ['batch 1, time 7', {batch: 1, time: 7}],
    ['batch 4, time 7', {batch: 4, time: 7}],
    ['batch 3, a long sequence (time 300)', {batch: 3, time: 300}],
  ];
  for (const backward of [false, true]) {
    const direction = backward ? 'backward' : 'forward';
    for (const [name, shape] of cases) {
      for (const initialState of [false, true]) {
        it(`${direction}, ${name}, ${initialState ? 'given' : 'zero'} initial state`, async function () {
          const problem = makeProblem({
            batch: 2,
            time: 5,
            inputChannels: 4,
            outputChannels: 6,
            neuron: TANH,
            backward,
            initialState,
            float32Weights: true,
            seed: 21,
            ...shape,
          });
          const c = problem.config;
          const run = await runOp(problem);
          const expected = referenceOf(problem);
          expect(run.outputShape).to.deep.equal([c.batch, c.time, c.outputChannels]);
          expect(run.finalStateShape).to.deep.equal([c.batch, c.outputChannels]);
          expectArraysClose(run.output, expected.output, tolerance, {what: 'output', shape: run.outputShape});
          expectArraysClose(run.finalState, expected.finalState, tolerance, {
            what: 'final state',
            shape: run.finalStateShape,
          });
          // A single-gate layer's state is its output: every intermediate state equals that step's output.
          expect(Array.from(run.intermediateStates)).to.deep.equal(Array.from(run.output));
        });
      }
    }
  }

  for (const mask of ['random', 'lengths'] as const) {
    for (const backward of [false, true]) {
      it(`a ${mask} mask, ${backward ? 'backward' : 'forward'}: masked steps carry the state over`, async function () {
        const problem = makeProblem({
          batch: 4,
          time: 9,
          inputChannels: 3,
          outputChannels: 5,
          neuron: TANH,
          initialState: true,
          float32Weights: true,
          backward,
          mask,
          seed: 23,
        });
        const run = await runOp(problem);
        const expected = referenceOf(problem);
        expectArraysClose(run.output, expected.output, tolerance, {what: 'output', shape: run.outputShape});
        expectArraysClose(run.finalState, expected.finalState, tolerance, {
          what: 'final state',
          shape: run.finalStateShape,
        });
        if (mask === 'lengths') {
          // Row 0 is fully masked: its final state is its initial state, exactly.
          expect(Array.from(run.finalState.slice(0, 5))).to.deep.equal(
            Array.from(problem.initialState!.slice(0, 5)),
          );
        }
      });
    }
  }

  it('a numeric mask counts every nonzero value as a consumed step, as a bool mask does', async function () {
    const problem = makeProblem({
      batch: 2,
      time: 4,
      inputChannels: 3,
      outputChannels: 3,
      neuron: TANH,
      float32Weights: true,
      seed: 24,
    });
    const run = (mask: tf.Tensor2D): Promise<Float32Array> =>
      tf
        .tidy(() => singleGateRNN(tf.tensor3d(problem.x, [2, 4, 3]), descriptorOf(problem), {mask}).output)
        .data() as Promise<Float32Array>;
    const numeric = await run(
      tf.tensor2d([
        [1, 0, 0.5, -2],
        [0, 0, 3, 0],
      ]),
    );
    const bool = await run(
      tf.tensor2d(
        [
          [1, 0, 1, 1],
          [0, 0, 1, 0],
        ],
        undefined,
        'bool',
      ),
    );
    expect(Array.from(numeric)).to.deep.equal(Array.from(bool));
  });

  it('backward: the output at index t is the state after consuming x_t, and the final state is at t = 0', async function () {
    const problem = makeProblem({
      batch: 2,
      time: 4,
      inputChannels: 3,
      outputChannels: 3,
      neuron: TANH,
      backward: true,
      float32Weights: true,
      seed: 5,
    });
    const run = await runOp(problem);
    const H = 3;
    const T = 4;
    for (let n = 0; n < 2; n++) {
      const atT0 = run.output.slice(n * T * H, n * T * H + H);
      expect(Array.from(run.finalState.slice(n * H, n * H + H))).to.deep.equal(Array.from(atT0));
    }
    // Reversing the sequence and running forward gives the same states in reversed order.
    const reversed = makeProblem({...problem.config, backward: false});
    reversed.x = new Float32Array(problem.x.length);
    for (let n = 0; n < 2; n++) {
      for (let t = 0; t < T; t++) {
        reversed.x.set(problem.x.slice((n * T + t) * 3, (n * T + t + 1) * 3), (n * T + (T - 1 - t)) * 3);
      }
    }
    reversed.w = problem.w;
    reversed.u = problem.u;
    reversed.bias = problem.bias;
    const forward = await runOp(reversed);
    for (let n = 0; n < 2; n++) {
      for (let t = 0; t < T; t++) {
        const a = run.output.slice((n * T + t) * H, (n * T + t + 1) * H);
        const b = forward.output.slice((n * T + (T - 1 - t)) * H, (n * T + (T - t)) * H);
        expectArraysClose(a, b, tolerance, {what: `backward state at t = ${t}`});
      }
    }
  });
});
