/**
 * One step of the recurrence on flat4 textures (flat4.ts), for units a multiple of 4: one fragment
 * per four consecutive units i..i+3 of one batch row n of the new state h [batch, units], which it
 * writes as one texel. Row n of h0 and rows i..i+3 of U start on texel boundaries, so the fragment
 * reads h0 four values at a time and each U row the same, five texels for sixteen products where the
 * one-value-per-texel program (step.ts) reads thirty-two.
 *
 * h[n, i] = g(P[n, t, i] + sum_j U[i, j] h0[n, j]), or h0[n, i] where the mask skips step t of row n.
 * Inputs state (h0), projection (P), recurrentWeights (U) and mask, all flat4. Without a state input
 * (the first step from a zero state) h0 is the uniform `zeroState` (0), as in step.ts, so an
 * infinite weight still gives NaN.
 */
import type {StepShader} from './step.js';
import {FLAT4_GLSL, fetchFlat4, next4, position4, texel4} from './flat4.js';
import {neuronGlsl} from './neuron.js';
import {NUMBERS_GLSL} from './numbers.js';

export function step4Glsl(s: StepShader): string {
  const previous = s.hasState ? texel4('state', position4('state', 'k')) : 'vec4(zeroState)';
  const h = s.hasState ? texel4('state', 'hAt') : 'vec4(zeroState)';
  const recurrence = `
  int q = units / 4;
  ${s.hasState ? `ivec2 hAt = ${position4('state', 'n * q')};` : ''}
  ivec2 u0 = ${position4('recurrentWeights', 'i * q')};
  ivec2 u1 = ${position4('recurrentWeights', '(i + 1) * q')};
  ivec2 u2 = ${position4('recurrentWeights', '(i + 2) * q')};
  ivec2 u3 = ${position4('recurrentWeights', '(i + 3) * q')};
  for (int j = 0; j < q; j++) {
    vec4 h = ${h};
    acc.x += dot(${texel4('recurrentWeights', 'u0')}, h);
    acc.y += dot(${texel4('recurrentWeights', 'u1')}, h);
    acc.z += dot(${texel4('recurrentWeights', 'u2')}, h);
    acc.w += dot(${texel4('recurrentWeights', 'u3')}, h);
    ${s.hasState ? `hAt = ${next4('state', 'hAt')};` : ''}
    u0 = ${next4('recurrentWeights', 'u0')};
    u1 = ${next4('recurrentWeights', 'u1')};
    u2 = ${next4('recurrentWeights', 'u2')};
    u3 = ${next4('recurrentWeights', 'u3')};
  }`;
  return /* glsl */ `${NUMBERS_GLSL}
${FLAT4_GLSL}
${neuronGlsl(s.neuron)}

void main() {
  // Texel k holds state values 4k..4k+3: units i..i+3 of row n.
  int k = getOutputCoords()[0] / 2;
  int n = (4 * k) / units;
  int i = 4 * k - n * units;
  ${
    s.hasMask
      ? `if (${fetchFlat4('mask', 'n * time + timeIndex')} == 0.0) {
    setOutput(${previous});
    return;
  }`
      : ''
  }
  vec4 acc = ${s.hasProjection ? texel4('projection', position4('projection', '((n * time + timeIndex) * units + i) / 4')) : 'vec4(0.0)'};
  ${s.hasRecurrentWeights ? recurrence : ''}
  setOutput(vec4(sgNeuron(acc.x), sgNeuron(acc.y), sgNeuron(acc.z), sgNeuron(acc.w)));
}
`;
}
