/** Every neuron of the MPS table, with its usual parameters and with others, against the reference. */
import {ReferenceNeuron} from './reference/single_gate_rnn_reference.js';
import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {makeProblem, ProblemConfig, referenceOf, runOp} from './util/problem.js';

interface NeuronCase {
  /** The neuron with MPS' usual parameters written out from the reference table. */
  usual: ReferenceNeuron;
  /** Other parameters, to show they are honoured. */
  custom: ReferenceNeuron;
  /** Weight scale that keeps this neuron's pre-activations in its domain and away from overflow. */
  weightScale?: number;
}

const p = (type: string, a = 0, b = 0, c = 0): ReferenceNeuron => ({type, a, b, c});

const NEURONS: Record<string, NeuronCase> = {
  none: {usual: p('none'), custom: p('none'), weightScale: 0.5},
  relu: {usual: p('relu', 0), custom: p('relu', 0.1)},
  linear: {usual: p('linear', 1, 0), custom: p('linear', 0.5, -0.25), weightScale: 0.5},
  sigmoid: {usual: p('sigmoid'), custom: p('sigmoid')},
  hardSigmoid: {usual: p('hardSigmoid', 0.2, 0.5), custom: p('hardSigmoid', 0.3, 0.4)},
  tanh: {usual: p('tanh', 1, 1), custom: p('tanh', 1.7159, 0.6667)},
  absolute: {usual: p('absolute'), custom: p('absolute'), weightScale: 0.5},
  softplus: {usual: p('softplus', 1, 1), custom: p('softplus', 0.5, 2), weightScale: 0.5},
  softsign: {usual: p('softsign'), custom: p('softsign')},
  elu: {usual: p('elu', 1), custom: p('elu', 0.5), weightScale: 0.7},
  reluN: {usual: p('reluN', 0, 6), custom: p('reluN', 0.1, 0.8)},
  // power, exponential and logarithm have no usual parameters in MPS; ours make them x, e^x, ln x.
  power: {usual: p('power', 1, 0, 1), custom: p('power', 0.2, 2, 0.5), weightScale: 0.5},
  exponential: {usual: p('exponential', 1, 0, -1), custom: p('exponential', 0.3, -1, 2), weightScale: 0.3},
  logarithm: {usual: p('logarithm', 1, 0, -1), custom: p('logarithm', 0.2, 3, 10), weightScale: 0.5},
  gelu: {usual: p('gelu'), custom: p('gelu')},
};

const SHAPE = {batch: 2, time: 6, inputChannels: 3, outputChannels: 5};

describeAllBackends('neurons', ({tolerance}) => {
  for (const [type, neuron] of Object.entries(NEURONS)) {
    // The identity-like defaults of power/exponential/logarithm would feed log/pow values outside
    // their domain with random weights, so their defaults are checked on one step from h = 0 with
    // positive inputs.
    const domainLimited = type === 'power' || type === 'logarithm';
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
});
