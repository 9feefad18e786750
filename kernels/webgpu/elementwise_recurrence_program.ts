import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {NeuronType} from '../../src/contracts/descriptor.js';
import {BoundProgram, DIRECTION_AND_NEURON_UNIFORMS, elementwiseGrid} from './program_util.js';
import {uniformLayout} from './uniforms.js';
import {elementwiseRecurrenceWgsl} from './wgsl/recurrence/elementwise.js';

export const ELEMENTWISE_RECURRENCE_UNIFORMS = uniformLayout([
  ['total', 'i32'],
  ['batch', 'i32'],
  ['time', 'i32'],
  ...DIRECTION_AND_NEURON_UNIFORMS,
] as const);

/**
 * The recurrence without U, in place on the output buffer. Unmasked: h = g(P), all steps at once.
 * Masked: one invocation per (row, unit) walks the steps.
 */
export class ElementwiseRecurrenceProgram extends BoundProgram {
  constructor(
    inputs: {initialState: TensorInfo | null; mask: TensorInfo | null},
    opts: {batch: number; time: number; units: number; neuron: NeuronType},
  ) {
    const {batch, time, units, neuron} = opts;
    const hasMask = inputs.mask != null;
    // Without a mask every step is g(P): the initial state cannot reach any output, so it is not bound.
    const initialState = hasMask ? inputs.initialState : null;
    const hasInitialState = initialState != null;
    super(
      {initialState, mask: inputs.mask},
      {
        outputShape: [batch, time, units],
        ...elementwiseGrid(hasMask ? batch * units : batch * time * units),
        uniforms: ELEMENTWISE_RECURRENCE_UNIFORMS.wgsl,
        shaderKey: [
          'sgrnnElementwiseRecurrence',
          neuron,
          hasMask ? 'mask' : 'nomask',
          hasInitialState ? 'init' : 'noinit',
          hasMask ? units : '',
        ].join('_'),
        userCode: () => elementwiseRecurrenceWgsl({neuron, hasMask, hasInitialState, units}),
      },
    );
  }
}
