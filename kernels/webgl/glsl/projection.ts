/**
 * The input projection for every batch row and step at once: one fragment per element of
 * P [batch * time, units] (flat), P[r, i] = b[i] + sum_j W[i, j] x[r, j] (or x[r, i] itself in
 * unit-transform mode). Nothing here depends on the state, so all steps go in one pass; the step
 * program adds U h to it. Reads x as getX, W as getInputWeights, b as getBiasTerms (flat indices).
 */
export type ProjectionMode = 'matrix' | 'unitTransform' | 'biasOnly';

export function projectionGlsl(opts: {mode: ProjectionMode; hasBias: boolean}): string {
  const terms = {
    matrix: `
  int xBase = row * inputs;
  int wBase = unit * inputs;
  for (int j = 0; j < inputs; j++) {
    acc += getInputWeights(wBase + j) * getX(xBase + j);
  }`,
    unitTransform: `
  acc += getX(index);`,
    biasOnly: '',
  }[opts.mode];
  return /* glsl */ `
void main() {
  int index = getOutputCoords();
  int row = index / units;
  int unit = index - row * units;
  float acc = ${opts.hasBias ? 'getBiasTerms(unit)' : '0.0'};
  ${terms}
  setOutput(acc);
}
`;
}
