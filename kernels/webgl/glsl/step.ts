/**
 * One step of the recurrence, fused: one fragment per element of the new state h [batch, units]
 * (flat), h[n, i] = g(P[n, t, i] + sum_j U[i, j] h0[n, j]), or h0[n, i] itself where the mask skips
 * step t of row n. The step is a uniform (`timeIndex`), so one compiled program serves every step of
 * every call. Inputs state (h0), projection (P), recurrentWeights (U) and mask, read through
 * glsl/fetch.ts.
 *
 * Without a state input (the first step from a zero state) h0 is the uniform `zeroState` (0) rather
 * than a literal, so U h0 still gives NaN where U holds an infinity (a float16 overflow), as the
 * reference's inf * 0 does; a literal 0.0 would let the compiler drop the product.
 */
import {dot, fetch, FETCH_GLSL} from './fetch.js';
import {neuronGlsl} from './neuron.js';
import {NUMBERS_GLSL} from './numbers.js';
import type {NeuronType} from '../../../src/contracts/descriptor.js';

export interface StepShader {
  neuron: NeuronType;
  hasState: boolean;
  hasProjection: boolean;
  hasRecurrentWeights: boolean;
  hasMask: boolean;
}

export function stepGlsl(s: StepShader): string {
  const previous = (at: string) => (s.hasState ? fetch('state', at) : 'zeroState');
  const recurrence = s.hasState
    ? `acc += ${dot('recurrentWeights', 'unit * units', 'state', 'n * units', 'units')};`
    : `for (int j = 0; j < units; j++) {
    acc += ${fetch('recurrentWeights', 'unit * units + j')} * zeroState;
  }`;
  return /* glsl */ `${NUMBERS_GLSL}
${FETCH_GLSL}
${neuronGlsl(s.neuron)}

void main() {
  int index = getOutputCoords();
  int n = index / units;
  int unit = index - n * units;
  ${
    s.hasMask
      ? `if (${fetch('mask', 'n * time + timeIndex')} == 0.0) {
    setOutput(${previous('index')});
    return;
  }`
      : ''
  }
  float acc = ${s.hasProjection ? fetch('projection', '(n * time + timeIndex) * units + unit') : '0.0'};
  ${s.hasRecurrentWeights ? recurrence : ''}
  setOutput(sgNeuron(acc));
}
`;
}
