import type {WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';

import type {NeuronType} from '../../src/descriptor.js';
import {ELEMENTWISE_WORKGROUP, elementwiseDispatch} from './program_util.js';
import type {RecurrencePlan} from './strategy.js';
import {uniformLayout} from './uniforms.js';
import {elementwiseRecurrenceWgsl, recurrenceWgsl} from './wgsl/recurrence.js';

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

/**
 * Steps [stepBegin, stepEnd) of the recurrence, in place on the output buffer (pass it as the
 * `output` of runWebGPUProgram). Inputs: the prepared U, then the initial state and the
 * mask, each if any.
 */
export class RecurrenceProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = {x: [0]};
  dispatch: [number, number, number];
  variableNames: string[];
  variableComponents: number[];
  workgroupSize: [number, number, number];
  uniforms = RECURRENCE_UNIFORMS.wgsl;
  private readonly opts: {
    batch: number;
    units: number;
    plan: RecurrencePlan;
    float16: boolean;
    hasInitialState: boolean;
    hasMask: boolean;
    neuron: NeuronType;
  };

  constructor(opts: RecurrenceProgram['opts'] & {time: number}) {
    const {batch, time, units, plan, float16, hasInitialState, hasMask, neuron} = opts;
    this.opts = {batch, units, plan, float16, hasInitialState, hasMask, neuron};
    this.outputShape = [batch, time, units];
    this.variableNames = [
      'recurrentWeights',
      ...(hasInitialState ? ['initialState'] : []),
      ...(hasMask ? ['mask'] : []),
    ];
    // U is read as one word per (input, quad): vec4<f32>, or vec2<i32> holding four packed halves.
    this.variableComponents = [float16 ? 2 : 4, ...this.variableNames.slice(1).map(() => 1)];
    this.workgroupSize = [plan.quads * plan.splits, 1, 1];
    const rowBlocks = Math.ceil(batch / plan.rows);
    this.dispatch =
      plan.strategy === 'persistent'
        ? [rowBlocks, 1, 1]
        : [Math.ceil(Math.ceil(units / 4) / plan.quads), rowBlocks, 1];
    // Everything recurrenceWgsl bakes into the shader.
    this.shaderKey = [
      'sgrnnRecurrence',
      plan.strategy,
      units,
      plan.quads,
      plan.splits,
      plan.rows,
      float16 ? 'f16' : 'f32',
      hasInitialState ? 'init' : 'noinit',
      hasMask ? 'mask' : 'nomask',
      neuron,
    ].join('_');
  }

  getUserCode(): string {
    const {units, plan, float16, hasInitialState, hasMask, neuron} = this.opts;
    return recurrenceWgsl({
      strategy: plan.strategy,
      units,
      quads: plan.quads,
      splits: plan.splits,
      rows: plan.rows,
      float16,
      hasInitialState,
      hasMask,
      neuron,
    });
  }
}

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
 * The recurrence without U, in place. Unmasked: h = g(P), all steps at once, no inputs besides the
 * output. Masked: inputs are the initial state if any, then the mask; one invocation per (row, unit).
 */
export class ElementwiseRecurrenceProgram implements WebGPUProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = {x: [0]};
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize = ELEMENTWISE_WORKGROUP;
  uniforms = ELEMENTWISE_RECURRENCE_UNIFORMS.wgsl;
  private readonly opts: {neuron: NeuronType; hasMask: boolean; hasInitialState: boolean; units: number};

  constructor(opts: {
    batch: number;
    time: number;
    units: number;
    neuron: NeuronType;
    hasMask: boolean;
    hasInitialState: boolean;
  }) {
    const {batch, time, units, neuron, hasMask} = opts;
    // Without a mask the initial state cannot reach any output, so it is not bound.
    const hasInitialState = hasMask && opts.hasInitialState;
    this.opts = {neuron, hasMask, hasInitialState, units};
    this.outputShape = [batch, time, units];
    this.variableNames = hasMask ? [...(hasInitialState ? ['initialState'] : []), 'mask'] : [];
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
    return elementwiseRecurrenceWgsl(this.opts);
  }
}
