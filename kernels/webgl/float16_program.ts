import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';
import type {TensorInfo} from '@tensorflow/tfjs-core';

import {fetch, FETCH_GLSL} from './glsl/fetch.js';
import {FLOAT16_GLSL} from './glsl/float16.js';
import {bindInputs} from './program_util.js';

/** A weights tensor rounded to float16 precision (held as float32), once per call. */
export class Float16Program implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode = `${FETCH_GLSL}
${FLOAT16_GLSL}
void main() {
  setOutput(sgRoundF16(${fetch('weights', 'getOutputCoords()')}));
}
`;
  enableShapeUniforms = true;
  readonly operands: TensorInfo[];

  /** `weights` is flat (see FlatInputs). */
  constructor(weights: TensorInfo) {
    ({variableNames: this.variableNames, operands: this.operands} = bindInputs({weights}));
    this.outputShape = weights.shape;
  }
}
