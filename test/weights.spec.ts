/** Weights sources: null sources, bias, unit-transform mode, float16 versus float32 weights. */
import {expect} from 'chai';

import {describeAllBackends} from './util/backends.js';
import {compareArrays, expectArraysClose} from './util/close.js';
import {makeProblem, ProblemConfig, referenceOf, runOp} from './util/problem.js';

const TANH = {type: 'tanh', a: 1, b: 1, c: 0};
const BASE: ProblemConfig = {
  batch: 3,
  time: 5,
  inputChannels: 4,
  outputChannels: 6,
  neuron: TANH,
  float32Weights: true,
};

describeAllBackends('weights', ({tolerance}) => {
  const cases: Array<[string, Partial<ProblemConfig>]> = [
    ['W, U and bias', {}],
    ['W and U without bias', {inputWeights: 'noBias'}],
    ['null recurrent weights (U = 0)', {recurrentWeights: false}],
    ['null input weights (W = 0, b = 0, identity neuron)', {inputWeights: 'null', initialState: true}],
    ['null input and recurrent weights', {inputWeights: 'null', recurrentWeights: false, initialState: true}],
    ['unit-transform mode (W x replaced by x)', {unitTransform: true, inputChannels: 6}],
    ['unit-transform mode without bias', {unitTransform: true, inputChannels: 6, inputWeights: 'noBias'}],
    [
      'unit-transform mode with null input weights',
      {unitTransform: true, inputChannels: 6, inputWeights: 'null'},
    ],
    ['float16 weights', {float32Weights: false}],
    ['float16 weights, backward, initial state', {float32Weights: false, backward: true, initialState: true}],
    [
      'float16 weights in unit-transform mode',
      {float32Weights: false, unitTransform: true, inputChannels: 6},
    ],
  ];
  for (const [name, overrides] of cases) {
    it(name, async function () {
      const problem = makeProblem({...BASE, seed: 31, ...overrides});
      const run = await runOp(problem);
      const expected = referenceOf(problem);
      expectArraysClose(run.output, expected.output, tolerance, {what: 'output', shape: run.outputShape});
      expectArraysClose(run.finalState, expected.finalState, tolerance, {what: 'final state'});
    });
  }

  it('null input weights give h_t = U h_{t-1}: zeros from a zero state', async function () {
    const problem = makeProblem({...BASE, inputWeights: 'null', seed: 32});
    const run = await runOp(problem);
    expect(run.output.every((v) => v === 0)).to.equal(true);
  });

  it('float16 weights differ from float32 weights, and each matches its own reference', async function () {
    // Weights far from any float16 value, so the rounding shows.
    const problem = makeProblem({...BASE, seed: 33, weightScale: 3});
    const halfProblem = {...problem, config: {...problem.config, float32Weights: false}};
    const singleProblem = {...problem, config: {...problem.config, float32Weights: true}};
    const half = await runOp(halfProblem);
    const single = await runOp(singleProblem);
    expectArraysClose(half.output, referenceOf(halfProblem).output, tolerance, {what: 'float16'});
    expectArraysClose(single.output, referenceOf(singleProblem).output, tolerance, {what: 'float32'});
    const {failures} = compareArrays(half.output, single.output, tolerance);
    expect(failures, 'float16 rounding must change the result beyond the tolerance').to.be.greaterThan(0);
  });

  it('the bias stays float32 when the weights are float16', async function () {
    // One step from h = 0 with x = 0: h = g(b), so only the bias reaches the output.
    const problem = makeProblem({
      ...BASE,
      time: 1,
      float32Weights: false,
      neuron: {type: 'none', a: 0, b: 0, c: 0},
      seed: 34,
    });
    problem.x.fill(0);
    problem.bias = Float32Array.from([0.1, 1 / 3, -0.7, 1e-5, 2049, -0.123456]);
    const run = await runOp(problem);
    for (let n = 0; n < BASE.batch; n++) {
      expect(Array.from(run.output.slice(n * 6, n * 6 + 6))).to.deep.equal(Array.from(problem.bias));
    }
  });
});
