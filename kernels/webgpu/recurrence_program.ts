import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {NeuronType} from '../../src/contracts/descriptor.js';
import {BoundProgram} from './program_util.js';
import {recurrentWeightsLayout} from './recurrent_weights_layout.js';
import {planKey, RecurrencePlan} from './strategy.js';
import {uniformLayout} from './uniforms.js';
import type {RecurrenceShaderOptions} from './wgsl/recurrence/common.js';
import {persistentRecurrenceWgsl} from './wgsl/recurrence/persistent.js';
import {residentRecurrenceWgsl} from './wgsl/recurrence/resident.js';
import {stepwiseRecurrenceWgsl} from './wgsl/recurrence/stepwise.js';

export const RECURRENCE_UNIFORMS = uniformLayout([
  ['batch', 'i32'],
  ['time', 'i32'],
  ['stepBegin', 'i32'],
  ['stepEnd', 'i32'],
  ['backward', 'i32'],
  ['neuronA', 'f32'],
  ['neuronB', 'f32'],
  ['neuronC', 'f32'],
] as const);

const RECURRENCE_WGSL: Record<RecurrencePlan['strategy'], (o: RecurrenceShaderOptions) => string> = {
  resident: residentRecurrenceWgsl,
  persistent: persistentRecurrenceWgsl,
  stepwise: stepwiseRecurrenceWgsl,
};

/**
 * Steps [stepBegin, stepEnd) of the recurrence, in place on the output buffer (pass it as the
 * `output` of runWebGPUProgram), run as `plan` says. A program object per dispatch: the backend appends
 * to `shaderKey` on every run. `bidirectional`: both directions in the same dispatches, the second
 * direction's workgroups at z = 1 (see wgsl/recurrence/common.ts for the layouts; `backward` unused).
 */
export class RecurrenceProgram extends BoundProgram {
  outputShape: number[];
  shaderKey: string;
  dispatch: [number, number, number];
  variableComponents: number[];
  workgroupSize: [number, number, number];
  uniforms = RECURRENCE_UNIFORMS.wgsl;
  private readonly shader: RecurrenceShaderOptions;

  constructor(
    inputs: {
      /** U as RecurrentWeightsProgram prepares it. */
      recurrentWeights: TensorInfo;
      initialState: TensorInfo | null;
      mask: TensorInfo | null;
    },
    opts: {
      batch: number;
      time: number;
      plan: RecurrencePlan;
      float16: boolean;
      neuron: NeuronType;
      bidirectional?: boolean;
    },
  ) {
    super(inputs);
    const {plan, float16, neuron} = opts;
    const directions = opts.bidirectional ? 2 : 1;
    this.shader = {
      plan,
      float16,
      neuron,
      hasInitialState: this.binds('initialState'),
      hasMask: this.binds('mask'),
      bidirectional: directions === 2,
    };
    this.outputShape = [opts.batch, opts.time, directions * plan.units];
    // U is read one word per (input, quad); the other inputs element by element.
    this.variableComponents = this.variableNames.map((name) =>
      name === 'recurrentWeights' ? recurrentWeightsLayout(plan.units, float16).wordComponents : 1,
    );
    this.workgroupSize = [plan.threads, 1, 1];
    this.dispatch = [plan.dispatch[0], plan.dispatch[1], directions];
    // Everything the WGSL generators bake into the shader.
    this.shaderKey = [
      'sgrnnRecurrence',
      planKey(plan),
      float16 ? 'f16' : 'f32',
      this.shader.hasInitialState ? 'init' : 'noinit',
      this.shader.hasMask ? 'mask' : 'nomask',
      neuron,
      ...(directions === 2 ? ['bidirectional'] : []),
    ].join('_');
  }

  getUserCode(): string {
    return RECURRENCE_WGSL[this.shader.plan.strategy](this.shader);
  }
}
