/**
 * Conversions between the kernel's one-value-per-texel flat inputs and flat4 textures
 * (glsl/flat4.ts): into flat4 (optionally rounding to float16 on the way, for weights) and back.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';

import {fetch, FETCH_GLSL} from './glsl/fetch.js';
import {FLAT4_GLSL, fetchFlat4, flat4Shape} from './glsl/flat4.js';
import {FLOAT16_GLSL} from './glsl/float16.js';
import {bindInputs, FlatProgram} from './program_util.js';
import {uniformList} from './uniforms.js';

export const TO_FLAT4_UNIFORMS = uniformList([['count', 'int']] as const);

/** A flat input of `count` values as flat4, zero past the end; rounded to float16 if asked. */
export class ToFlat4Program extends FlatProgram {
  /** `values` is flat (see FlatInputs). */
  constructor(values: TensorInfo, opts: {roundToFloat16: boolean}) {
    const value = fetch('values', 'at');
    const userCode = /* glsl */ `${FETCH_GLSL}
${opts.roundToFloat16 ? FLOAT16_GLSL : ''}
void main() {
  int first = getOutputCoords()[0] * 2;
  vec4 result = vec4(0.0);
  for (int c = 0; c < 4; c++) {
    int at = first + c;
    if (at < count) {
      result[c] = ${opts.roundToFloat16 ? `sgRoundF16(${value})` : value};
    }
  }
  setOutput(result);
}
`;
    super(bindInputs({values}), {
      outputShape: flat4Shape(values.shape[0]),
      userCode,
      customUniforms: TO_FLAT4_UNIFORMS.declarations,
      packedOutput: true,
    });
  }
}

const FROM_FLAT4_GLSL = /* glsl */ `${FLAT4_GLSL}
void main() {
  setOutput(${fetchFlat4('values', 'getOutputCoords()')});
}
`;

/** A flat4 texture's first `count` values as a flat tensor, one value per texel. */
export class FromFlat4Program extends FlatProgram {
  constructor(values: TensorInfo, count: number) {
    super(bindInputs({values}), {outputShape: [count], userCode: FROM_FLAT4_GLSL, packedInputs: true});
  }
}
