/**
 * The input projection for every batch row and step at once: one fragment per element of
 * P [batch * time, units] (flat), P[r, i] = b[i] + sum_j W[i, j] x[r, j] (or x[r, i] itself in
 * unit-transform mode). Nothing here depends on the state, so all steps go in one pass; the step
 * program adds U h to it. Inputs x, inputWeights, biasTerms, read through glsl/fetch.ts.
 *
 * With `toFlat4` (units a multiple of 4) P is written flat4 (flat4.ts) for the flat4 step program:
 * a fragment computes four consecutive units of one row, the same sums.
 */
import {dot, fetch, FETCH_GLSL} from './fetch.js';

export type ProjectionMode = 'matrix' | 'unitTransform' | 'biasOnly';

export function projectionGlsl(opts: {mode: ProjectionMode; hasBias: boolean; toFlat4: boolean}): string {
  const element = (c: string) => {
    const unit = `unit + ${c}`;
    const index = `row * units + ${unit}`;
    const terms = {
      matrix: ` + ${dot('inputWeights', `(${unit}) * inputs`, 'x', 'row * inputs', 'inputs')}`,
      unitTransform: ` + ${fetch('x', index)}`,
      biasOnly: '',
    }[opts.mode];
    return `${opts.hasBias ? fetch('biasTerms', unit) : '0.0'}${terms}`;
  };
  if (!opts.toFlat4) {
    return /* glsl */ `${FETCH_GLSL}
void main() {
  int index = getOutputCoords();
  int row = index / units;
  int unit = index - row * units;
  setOutput(${element('0')});
}
`;
  }
  return /* glsl */ `${FETCH_GLSL}
void main() {
  int index = getOutputCoords()[0] * 2;
  int row = index / units;
  int unit = index - row * units;
  vec4 result;
  for (int c = 0; c < 4; c++) {
    result[c] = ${element('c')};
  }
  setOutput(result);
}
`;
}
