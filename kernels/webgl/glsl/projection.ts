/**
 * The input projection for every batch row and step at once: one fragment per element of
 * P [batch * time, units] (flat), P[r, i] = b[i] + sum_j W[i, j] x[r, j] (or x[r, i] itself in
 * unit-transform mode). Nothing here depends on the state, so all steps go in one pass; the step
 * program adds U h to it. Inputs x, inputWeights, biasTerms, read through glsl/fetch.ts.
 */
import {dot, fetch, FETCH_GLSL} from './fetch.js';

export type ProjectionMode = 'matrix' | 'unitTransform' | 'biasOnly';

export function projectionGlsl(opts: {mode: ProjectionMode; hasBias: boolean}): string {
  const terms = {
    matrix: `acc += ${dot('inputWeights', 'unit * inputs', 'x', 'row * inputs', 'inputs')};`,
    unitTransform: `acc += ${fetch('x', 'index')};`,
    biasOnly: '',
  }[opts.mode];
  return /* glsl */ `${FETCH_GLSL}
void main() {
  int index = getOutputCoords();
  int row = index / units;
  int unit = index - row * units;
  float acc = ${opts.hasBias ? fetch('biasTerms', 'unit') : '0.0'};
  ${terms}
  setOutput(acc);
}
`;
}
