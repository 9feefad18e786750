import {BoundProgram, DIRECTION_AND_NEURON_UNIFORMS, RecurrenceInputs} from '../program_util.js';
import {uniformLayout} from '../uniforms.js';
import type {ConvRecurrenceShaderOptions} from './wgsl/recurrence/common.js';
import {persistentConvRecurrenceWgsl} from './wgsl/recurrence/persistent.js';
import {stepwiseConvRecurrenceWgsl} from './wgsl/recurrence/stepwise.js';

export const CONV_RECURRENCE_UNIFORMS = uniformLayout([
  ['batch', 'i32'],
  ['time', 'i32'],
  ['height', 'i32'],
  ['width', 'i32'],
  ['stepBegin', 'i32'],
  ['stepEnd', 'i32'],
  ...DIRECTION_AND_NEURON_UNIFORMS,
] as const);

/**
 * Steps [stepBegin, stepEnd) of the convolutional recurrence, in place on the output buffer (pass it as
 * the `output` of runWebGPUProgram), as the plan says. A program object per dispatch: the backend
 * appends to `shaderKey` on every run.
 */
export class ConvRecurrenceProgram extends BoundProgram {
  constructor(
    /** U as ConvWeightsProgram lays it out. */
    inputs: RecurrenceInputs,
    opts: Omit<ConvRecurrenceShaderOptions, 'hasInitialState' | 'hasMask'> & {outputShape: number[]},
  ) {
    const {outputShape, ...rest} = opts;
    const s: ConvRecurrenceShaderOptions = {
      ...rest,
      hasInitialState: inputs.initialState != null,
      hasMask: inputs.mask != null,
    };
    const {plan} = s;
    super(inputs, {
      outputShape,
      // U is read one vec4 (four output channels) per window element; the other inputs element by element.
      components: {recurrentWeights: 4},
      workgroupSize: [plan.threads, 1, 1],
      dispatch: plan.dispatch,
      uniforms: CONV_RECURRENCE_UNIFORMS.wgsl,
      // Everything the WGSL generators bake into the shader.
      shaderKey: [
        'sgconvRecurrence',
        plan.strategy,
        plan.threads,
        s.channels,
        s.kernelHeight,
        s.kernelWidth,
        s.padTop,
        s.padLeft,
        ...(plan.strategy === 'persistent'
          ? [s.height, s.width, plan.itemsPerInvocation]
          : [plan.splits, plan.tile]),
        s.neuron,
        s.hasInitialState ? 'init' : 'noinit',
        s.hasMask ? 'mask' : 'nomask',
      ].join('_'),
      userCode: () =>
        plan.strategy === 'persistent' ? persistentConvRecurrenceWgsl(s) : stepwiseConvRecurrenceWgsl(s),
    });
  }
}
