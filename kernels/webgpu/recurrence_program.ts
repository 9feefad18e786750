import type {NeuronType} from '../../src/contracts/descriptor.js';
import {BoundProgram, DIRECTION_AND_NEURON_UNIFORMS, RecurrenceInputs} from './program_util.js';
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
  ...DIRECTION_AND_NEURON_UNIFORMS,
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
  constructor(
    /** U as RecurrentWeightsProgram prepares it. */
    inputs: RecurrenceInputs,
    opts: {
      batch: number;
      time: number;
      plan: RecurrencePlan;
      float16: boolean;
      neuron: NeuronType;
      bidirectional?: boolean;
    },
  ) {
    const {plan, float16, neuron} = opts;
    const directions = opts.bidirectional ? 2 : 1;
    const shader: RecurrenceShaderOptions = {
      plan,
      float16,
      neuron,
      hasInitialState: inputs.initialState != null,
      hasMask: inputs.mask != null,
      bidirectional: directions === 2,
    };
    super(inputs, {
      outputShape: [opts.batch, opts.time, directions * plan.units],
      // U is read one word per (input, quad); the other inputs element by element.
      components: {recurrentWeights: recurrentWeightsLayout(plan.units, float16).wordComponents},
      workgroupSize: [plan.threads, 1, 1],
      dispatch: [plan.dispatch[0], plan.dispatch[1], directions],
      uniforms: RECURRENCE_UNIFORMS.wgsl,
      // Everything the WGSL generators bake into the shader.
      shaderKey: [
        'sgrnnRecurrence',
        planKey(plan),
        float16 ? 'f16' : 'f32',
        shader.hasInitialState ? 'init' : 'noinit',
        shader.hasMask ? 'mask' : 'nomask',
        neuron,
        ...(directions === 2 ? ['bidirectional'] : []),
      ].join('_'),
      userCode: () => RECURRENCE_WGSL[plan.strategy](shader),
    });
  }
}
