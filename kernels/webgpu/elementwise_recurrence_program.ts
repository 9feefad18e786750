import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {NeuronType} from '../../src/contracts/descriptor.js';
import {BoundProgram, ELEMENTWISE_WORKGROUP, elementwiseDispatch} from './program_util.js';
import {uniformLayout} from './uniforms.js';
import {elementwiseRecurrenceWgsl} from './wgsl/recurrence/elementwise.js';

export const ELEMENTWISE_RECURRENCE_UNIFORMS = uniformLayout([
  ['total', 'i32'],
  ['batch', 'i32'],
  ['time', 'i32'],
  ['backward', 'i32'],
  ['neuronA', 'f32'],
  ['neuronB', 'f32'],
  ['neuronC', 'f32'],
] as const);

/**
 * The recurrence without U, in place on the output buffer. Unmasked: h = g(P), all steps at once.
 * Masked: one invocation per (row, unit) walks the steps.
 */
export class ElementwiseRecurrenceProgram extends BoundProgram {
  outputShape: number[];
  shaderKey: string;
  dispatch: [number, number, number];
  workgroupSize = ELEMENTWISE_WORKGROUP;
  uniforms = ELEMENTWISE_RECURRENCE_UNIFORMS.wgsl;
  private readonly shader: Parameters<typeof elementwiseRecurrenceWgsl>[0];

  constructor(
    inputs: {initialState: TensorInfo | null; mask: TensorInfo | null},
    opts: {batch: number; time: number; units: number; neuron: NeuronType},
  ) {
    // Without a mask every step is g(P): the initial state cannot reach any output, so it is not bound.
    super({initialState: inputs.mask != null ? inputs.initialState : null, mask: inputs.mask});
    const {batch, time, units, neuron} = opts;
    const hasMask = this.binds('mask');
    const hasInitialState = this.binds('initialState');
    this.shader = {neuron, hasMask, hasInitialState, units};
    this.outputShape = [batch, time, units];
    this.dispatch = elementwiseDispatch(hasMask ? batch * units : batch * time * units);
    this.shaderKey = [
      'sgrnnElementwiseRecurrence',
      neuron,
      hasMask ? 'mask' : 'nomask',
      hasInitialState ? 'init' : 'noinit',
      hasMask ? units : '',
    ].join('_');
  }

  getUserCode(): string {
    return elementwiseRecurrenceWgsl(this.shader);
  }
}
