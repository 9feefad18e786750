/**
 * Neurons at the edges of float32, as data shared by the browser spec (neuron_edges.spec.ts, every
 * backend against the float64 reference) and the Node check (node/webgpu_vs_cpu.ts, webgpu against the
 * cpu kernel). Each case feeds its values straight to the neuron: unit-transform mode, no bias, no U,
 * so step t's pre-activation is x_t.
 */
import {NEURONS} from '../util/neurons.js';
import type {ReferenceNeuron} from '../reference/single_gate_rnn_reference.js';
import {makeProblem, Problem} from '../util/problem.js';

const p = (type: string, a = 0, b = 0, c = 0): ReferenceNeuron => ({type, a, b, c});

/** Infinities and NaN, with finite neighbours so a case also shows the formula still holds. */
export const NON_FINITE_VALUES = [Infinity, -Infinity, NaN, 0.5, -2, 0, -0];

/** Subnormal float32 values, which a GPU may flush to zero (see SUBNORMAL_RULE in the spec). */
export const SUBNORMAL_VALUES = [1e-40, -1e-40, 1.401298464324817e-45, -1.1754942e-38];

/**
 * Every neuron with its usual and other parameters, and the parameters where a product 0 * Inf, a
 * clamp or a power's special cases decide the result: reluN(-Inf) with a = 0, exponential with c = 1,
 * power with c = 0.5 and c = -1 (signed zeros and infinities), hardSigmoid and tanh with a zero slope.
 */
export const EDGE_NEURONS: ReferenceNeuron[] = [
  ...Object.values(NEURONS).flatMap((n) => [n.usual, n.custom]),
  p('reluN', 0, 6),
  p('exponential', 1, 0, 1),
  p('exponential', 1, 0, 0.5),
  p('exponential', 1, 0, -2),
  p('power', 1, 0, 0.5),
  p('power', 1, 0, -1),
  p('power', 1, 0, 3),
  p('power', 1, 0, -2),
  p('power', 1, 0, 0),
  p('hardSigmoid', 0, 0.5),
  p('tanh', 1, 0),
  p('softplus', 1, 0),
  p('logarithm', 0, 1, -1),
  p('logarithm', 1, 0, 2),
];

/** The problem that feeds `values` to `neuron`, one per step of a single sequence. */
export function edgeProblem(neuron: ReferenceNeuron, values: readonly number[]): Problem {
  const problem = makeProblem({
    batch: 1,
    time: values.length,
    inputChannels: 1,
    outputChannels: 1,
    neuron,
    unitTransform: true,
    inputWeights: 'noBias',
    recurrentWeights: false,
    float32Weights: true,
  });
  problem.x.set(values);
  return problem;
}

export function describeNeuron({type, a, b, c}: ReferenceNeuron): string {
  return `${type} (a, b, c = ${a}, ${b}, ${c})`;
}
