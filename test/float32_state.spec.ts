/**
 * The state is float32 after every step, as MPS stores it, on every backend and in the reference: a sum
 * that overflows float32 makes the state Inf, and a later step cannot bring a double back into range.
 */
import {expect} from 'chai';

import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {makeProblem, referenceOf, runOp} from './util/problem.js';

describeAllBackends('state stored as float32 between steps', ({tolerance}) => {
  it('an overflow at step 0 stays Inf at step 1 (bias 3e38)', async () => {
    const problem = makeProblem({
      batch: 1,
      time: 2,
      inputChannels: 1,
      outputChannels: 1,
      neuron: {type: 'none', a: 0, b: 0, c: 0},
      float32Weights: true,
    });
    // Step 0: 3e38 + 1e38 overflows float32. Step 1: 3e38 - 3e38 + 0.1 h, which is 4e37 if h were
    // kept as the double 4e38, and Inf from the float32 state.
    problem.x.set([1e38, -3e38]);
    problem.w!.set([1]);
    problem.u!.set([0.1]);
    problem.bias!.set([3e38]);
    const run = await runOp(problem);
    const expected = referenceOf(problem);
    expect(Array.from(expected.output), 'the reference').to.deep.equal([Infinity, Infinity]);
    expectArraysClose(run.output, expected.output, tolerance, {what: 'output', shape: run.outputShape});
    expectArraysClose(run.finalState, expected.finalState, tolerance, {what: 'final state'});
  });

  it('a state rounded to float32 feeds the next step (1 + 2^-30 is 1 in float32)', async () => {
    const problem = makeProblem({
      batch: 1,
      time: 2,
      inputChannels: 2,
      outputChannels: 1,
      neuron: {type: 'none', a: 0, b: 0, c: 0},
      float32Weights: true,
    });
    // Step 0: h = 1 + 2^-30, which float32 holds as 1. Step 1: -2^40 + 2^40 h is 0 from the float32
    // state and 1024 from a double one; every term is exact in float32, in any order of summation.
    problem.x.set([1, 2 ** -30, -(2 ** 40), 0]);
    problem.w!.set([1, 1]);
    problem.u!.set([2 ** 40]);
    problem.bias!.set([0]);
    const run = await runOp(problem);
    const expected = referenceOf(problem);
    expect(Array.from(expected.output), 'the reference').to.deep.equal([1, 0]);
    expectArraysClose(run.output, expected.output, tolerance, {what: 'output', shape: run.outputShape});
  });
});
