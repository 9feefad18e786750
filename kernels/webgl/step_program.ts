import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {NeuronType} from '../../src/contracts/descriptor.js';
import {type StepShader, stepGlsl} from './glsl/step.js';
import {bindInputs, FlatProgram} from './program_util.js';
import {uniformList} from './uniforms.js';

export const STEP_UNIFORMS = uniformList([
  ['units', 'int'],
  ['time', 'int'],
  ['timeIndex', 'int'],
  ['zeroState', 'float'],
  ['neuronA', 'float'],
  ['neuronB', 'float'],
  ['neuronC', 'float'],
] as const);

/** A step's inputs; `state` is null for the first step from a zero state. */
export type StepInputs = {
  state: TensorInfo | null;
  projection: TensorInfo | null;
  recurrentWeights: TensorInfo | null;
  mask: TensorInfo | null;
};

/** What a step's shader depends on: the neuron and which inputs exist (both layouts). */
export function stepShader(inputs: StepInputs, neuron: NeuronType): StepShader {
  return {
    neuron,
    hasState: inputs.state != null,
    hasProjection: inputs.projection != null,
    hasRecurrentWeights: inputs.recurrentWeights != null,
    hasMask: inputs.mask != null,
  };
}

/** One fused step h = g(U h0 + P[t]) (or h0 where masked), [batch * units] flat; see glsl/step.ts. */
export class StepProgram extends FlatProgram {
  /** Inputs are flat (see FlatInputs). */
  constructor(inputs: StepInputs, opts: {batch: number; units: number; neuron: NeuronType}) {
    super(bindInputs(inputs), {
      outputShape: [opts.batch * opts.units],
      userCode: stepGlsl(stepShader(inputs, opts.neuron)),
      customUniforms: STEP_UNIFORMS.declarations,
    });
  }
}
