/** Every neuron of the MPS table, with its usual parameters and with others, against the reference. */
import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {NEURONS} from './util/neurons.js';
import {makeProblem, ProblemConfig, referenceOf, runOp} from './util/problem.js';

const SHAPE = {batch: 2, time: 6, inputChannels: 3, outputChannels: 5};

describeAllBackends('neurons', ({tolerance}) => {
  for (const [type, neuron] of Object.entries(NEURONS)) {
    // The defaults of power and logarithm would feed log/pow values outside their domain with random
    // weights, so their defaults are checked on one step from h = 0 with positive inputs.
    const domainLimited = neuron.usualForRandomInputs === false;
    it(`${type} with its default parameters`, async function () {
      const config: ProblemConfig = {
        ...SHAPE,
        neuron: neuron.usual,
        opNeuron: {type: neuron.usual.type as never},
        float32Weights: true,
        weightScale: neuron.weightScale,
        seed: 11,
        ...(domainLimited ? {time: 1, inputWeights: 'noBias', recurrentWeights: false} : {}),
      };
      const problem = makeProblem(config);
      if (domainLimited) {
        problem.x = problem.x.map(Math.abs);
        problem.w = problem.w!.map(Math.abs);
      }
      const run = await runOp(problem);
      expectArraysClose(run.output, referenceOf(problem).output, tolerance, {
        what: `${type} output`,
        shape: run.outputShape,
      });
    });
    it(`${type} with parameters a, b, c = ${neuron.custom.a}, ${neuron.custom.b}, ${neuron.custom.c}`, async function () {
      const problem = makeProblem({
        ...SHAPE,
        neuron: neuron.custom,
        float32Weights: true,
        weightScale: neuron.weightScale,
        seed: 12,
      });
      const run = await runOp(problem);
      const expected = referenceOf(problem);
      expectArraysClose(run.output, expected.output, tolerance, {
        what: `${type} output`,
        shape: run.outputShape,
      });
      expectArraysClose(run.finalState, expected.finalState, tolerance, {what: `${type} final state`});
    });
  }

  // NaN reaches the neuron through x here and through U h in the following steps; every neuron must
  // keep it (power with c = 0 gives 1, as Math.pow(NaN, 0) does), as the reference does.
  const nanCases = [...Object.values(NEURONS).map((n) => n.custom), {type: 'power', a: 1, b: 0, c: 0}];
  for (const neuron of nanCases) {
    it(`${neuron.type} (a, b, c = ${neuron.a}, ${neuron.b}, ${neuron.c}) carries NaN as the reference does`, async () => {
      const problem = makeProblem({...SHAPE, neuron, float32Weights: true, seed: 13});
      problem.x[0] = NaN;
      problem.x[SHAPE.time * SHAPE.inputChannels + 7] = NaN;
      const run = await runOp(problem);
      const expected = referenceOf(problem);
      expectArraysClose(run.output, expected.output, tolerance, {
        what: `${neuron.type} output`,
        shape: run.outputShape,
      });
    });
  }
});
