import type {GPGPUProgram} from '@tensorflow/tfjs-backend-webgl';
import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {NeuronType} from '../../src/contracts/descriptor.js';
import {flat4Shape} from './glsl/flat4.js';
import {step4Glsl} from './glsl/step4.js';
import {bindInputs} from './program_util.js';
import {STEP_UNIFORMS, type StepInputs, stepShader} from './step_program.js';

/**
 * One fused step on flat4 textures, four units per fragment (see glsl/step4.ts); the state is flat4
 * [batch * units]. Same uniforms as StepProgram.
 */
export class Step4Program implements GPGPUProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  enableShapeUniforms = true;
  packedInputs = true;
  packedOutput = true;
  customUniforms = STEP_UNIFORMS.declarations;
  readonly operands: TensorInfo[];

  /** Inputs are flat4. */
  constructor(inputs: StepInputs, opts: {batch: number; units: number; neuron: NeuronType}) {
    if (opts.units % 4 !== 0) throw new Error(`Step4Program needs units a multiple of 4, got ${opts.units}`);
    ({variableNames: this.variableNames, operands: this.operands} = bindInputs(inputs));
    this.outputShape = flat4Shape(opts.batch * opts.units);
    this.userCode = step4Glsl(stepShader(inputs, opts.neuron));
  }
}
