/**
 * One step of the recurrence, fused: one fragment per element of the new state h [batch, units]
 * (flat), h[n, i] = g(P[n, t, i] + sum_j U[i, j] h0[n, j]), or h0[n, i] itself where the mask skips
 * step t of row n. The step is a uniform (`timeIndex`), so one compiled program serves every step of
 * every call. Reads h0 as getState, P as getProjection, U as getRecurrentWeights, the mask as getMask.
 *
 * Without a state input (the first step from a zero state) h0 is the uniform `zeroState` (0) rather
 * than a literal, so U h0 still gives NaN where U holds an infinity (a float16 overflow), as the
 * reference's inf * 0 does; a literal 0.0 would let the compiler drop the product.
 */
import {neuronGlsl} from './neuron.js';
import {NUMBERS_GLSL} from './numbers.js';
import type {NeuronType} from '../../../src/descriptor.js';

export interface StepShader {
  neuron: NeuronType;
  hasState: boolean;
  hasProjection: boolean;
  hasRecurrentWeights: boolean;
  hasMask: boolean;
}

export function stepGlsl(s: StepShader): string {
  const previous = (at: string) => (s.hasState ? `getState(${at})` : 'zeroState');
  return /* glsl */ `${NUMBERS_GLSL}
${neuronGlsl(s.neuron)}

void main() {
  int index = getOutputCoords();
  int n = index / units;
  int unit = index - n * units;
  ${
    s.hasMask
      ? `if (getMask(n * time + timeIndex) == 0.0) {
    setOutput(${previous('index')});
    return;
  }`
      : ''
  }
  float acc = ${s.hasProjection ? 'getProjection((n * time + timeIndex) * units + unit)' : '0.0'};
  ${
    s.hasRecurrentWeights
      ? `int uBase = unit * units;
  int hBase = n * units;
  for (int j = 0; j < units; j++) {
    acc += getRecurrentWeights(uBase + j) * ${previous('hBase + j')};
  }`
      : ''
  }
  setOutput(sgNeuron(acc));
}
`;
}
