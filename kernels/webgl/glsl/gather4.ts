/**
 * gather.ts on flat4 textures: concatenates blocks of consecutive steps (flat4, [batch, steps of the
 * block, units]) along time. Units are a multiple of 4, so four consecutive output values share a
 * batch row and a step and sit in one texel of their block. With a flat4 output (`toFlat4`) a
 * fragment copies that texel; with a one-value-per-texel output (the last join, whose result is the
 * kernel's output) a fragment picks its value from it. Same uniforms as gather.ts.
 */
import {FLAT4_GLSL, position4, texel4} from './flat4.js';
import {partAndIndexGlsl, partName} from './gather.js';

export function gather4Glsl(width: number, toFlat4: boolean): string {
  const reads = Array.from(
    {length: width},
    (_, k) =>
      `${k === 0 ? '' : 'else '}if (part == ${k}) { value = ${texel4(partName(k), position4(partName(k), 'at / 4'))}; }`,
  ).join('\n  ');
  return /* glsl */ `${FLAT4_GLSL}
void main() {
  ${partAndIndexGlsl(toFlat4 ? 'getOutputCoords()[0] * 2' : 'getOutputCoords()')}
  vec4 value = vec4(0.0);
  ${reads}
  setOutput(${toFlat4 ? 'value' : 'value[at % 4]'});
}
`;
}
