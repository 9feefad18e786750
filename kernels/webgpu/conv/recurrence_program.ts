import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BoundProgram} from '../program_util.js';
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
  ['backward', 'i32'],
  ['neuronA', 'f32'],
  ['neuronB', 'f32'],
  ['neuronC', 'f32'],
] as const);

/**
 * Steps [stepBegin, stepEnd) of the convolutional recurrence, in place on the output buffer (pass it as
 * the `output` of runWebGPUProgram), as the plan says. A program object per dispatch: the backend
 * appends to `shaderKey` on every run.
 */
export class ConvRecurrenceProgram extends BoundProgram {
  outputShape: number[];
  shaderKey: string;
  dispatch: [number, number, number];
  variableComponents: number[];
  workgroupSize: [number, number, number];
  uniforms = CONV_RECURRENCE_UNIFORMS.wgsl;
  private readonly shader: ConvRecurrenceShaderOptions;

  constructor(
    inputs: {
      /** U as ConvWeightsProgram lays it out. */
      recurrentWeights: TensorInfo;
      initialState: TensorInfo | null;
      mask: TensorInfo | null;
    },
    opts: Omit<ConvRecurrenceShaderOptions, 'hasInitialState' | 'hasMask'> & {outputShape: number[]},
  ) {
    super(inputs);
    const {outputShape, ...shader} = opts;
    this.shader = {...shader, hasInitialState: this.binds('initialState'), hasMask: this.binds('mask')};
    this.outputShape = outputShape;
    // U is read one vec4 (four output channels) per window element; the other inputs element by element.
    this.variableComponents = this.variableNames.map((name) => (name === 'recurrentWeights' ? 4 : 1));
    const {plan} = shader;
    this.workgroupSize = [plan.threads, 1, 1];
    this.dispatch = plan.dispatch;
    const s = this.shader;
    // Everything the WGSL generators bake into the shader.
    this.shaderKey = [
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
    ].join('_');
  }

  getUserCode(): string {
    return this.shader.plan.strategy === 'persistent'
      ? persistentConvRecurrenceWgsl(this.shader)
      : stepwiseConvRecurrenceWgsl(this.shader);
  }
}
