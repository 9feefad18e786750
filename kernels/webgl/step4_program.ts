import type {NeuronType} from '../../src/contracts/descriptor.js';
import {flat4Shape} from './glsl/flat4.js';
import {step4Glsl} from './glsl/step4.js';
import {bindInputs, FlatProgram} from './program_util.js';
import {STEP_UNIFORMS, type StepInputs, stepShader} from './step_program.js';

/**
 * One fused step on flat4 textures, four units per fragment (see glsl/step4.ts); the state is flat4
 * [batch * units]. Same uniforms as StepProgram.
 */
export class Step4Program extends FlatProgram {
  /** Inputs are flat4. */
  constructor(inputs: StepInputs, opts: {batch: number; units: number; neuron: NeuronType}) {
    if (opts.units % 4 !== 0) throw new Error(`Step4Program needs units a multiple of 4, got ${opts.units}`);
    super(bindInputs(inputs), {
      outputShape: flat4Shape(opts.batch * opts.units),
      userCode: step4Glsl(stepShader(inputs, opts.neuron)),
      customUniforms: STEP_UNIFORMS.declarations,
      packedInputs: true,
      packedOutput: true,
    });
  }
}
