/**
 * Concatenates blocks of consecutive steps along time: one fragment per element of the output
 * [batch, steps, units] (flat), copied from the block that holds its step. The first `parts` samplers
 * hold the blocks in time order, every one `partSteps` steps long but the last, which holds
 * `lastSteps`; the samplers past them are bound to block 0 and never read. All three are uniforms, so
 * one compiled program joins any number of blocks up to `width`. Block k is input part<k>, read
 * through glsl/fetch.ts; a fragment picks its block with a chain of comparisons, as GLSL cannot index
 * samplers dynamically.
 */
import {fetch, FETCH_GLSL} from './fetch.js';

export function gatherGlsl(width: number): string {
  const reads = Array.from(
    {length: width},
    (_, k) => `${k === 0 ? '' : 'else '}if (part == ${k}) { value = ${fetch(partName(k), 'at')}; }`,
  ).join('\n  ');
  return /* glsl */ `${FETCH_GLSL}
void main() {
  ${partAndIndexGlsl('getOutputCoords()')}
  float value = 0.0;
  ${reads}
  setOutput(value);
}
`;
}

/**
 * GLSL that sets `part` (the block that holds output element `index`) and `at` (the element's
 * flat index in that block) from the uniforms.
 */
export function partAndIndexGlsl(index: string): string {
  return `int index = ${index};
  int perRow = steps * units;
  int n = index / perRow;
  int rest = index - n * perRow;
  int t = rest / units;
  int unit = rest - t * units;
  int part = t / partSteps;
  int local = t - part * partSteps;
  int partLength = part == parts - 1 ? lastSteps : partSteps;
  int at = (n * partLength + local) * units + unit;`;
}

/** Sampler name of block k. */
export function partName(k: number): string {
  return `part${k}`;
}
