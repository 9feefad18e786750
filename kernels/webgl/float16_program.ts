import type {TensorInfo} from '@tensorflow/tfjs-core';

import {fetch, FETCH_GLSL} from './glsl/fetch.js';
import {FLOAT16_GLSL} from './glsl/float16.js';
import {bindInputs, FlatProgram} from './program_util.js';

const FLOAT16_PROGRAM_GLSL = `${FETCH_GLSL}
${FLOAT16_GLSL}
void main() {
  setOutput(sgRoundF16(${fetch('weights', 'getOutputCoords()')}));
}
`;

/** A weights tensor rounded to float16 precision (held as float32), once per call. */
export class Float16Program extends FlatProgram {
  /** `weights` is flat (see FlatInputs). */
  constructor(weights: TensorInfo) {
    super(bindInputs({weights}), {outputShape: weights.shape, userCode: FLOAT16_PROGRAM_GLSL});
  }
}
