/**
 * The fused WebGPU kernel. Per call, with no readback and nothing compiled after the first call of a
 * configuration (every constant a shader bakes in is in its program's shaderKey):
 * 1. the input projection P = x Wᵀ + b for all steps in one dispatch, written into the output buffer;
 * 2. U transposed (and rounded to packed float16 unless useFloat32Weights) by one small dispatch, on
 *    the first call with a given weights tensor only (kept while that tensor lives);
 * 3. the recurrence in place on the output buffer, as strategy.ts plans it (persistent: one dispatch
 *    per few thousand steps; sliced: one dispatch per step; without U: one dispatch in all);
 * 4. finalState copied out of the output's last consumed step (buffer copies for a few rows, else a
 *    program).
 * Each program names its own inputs (and which are bound); the kernel hands over tensors by name.
 * Intermediates are released as soon as the dispatches that read them are recorded; the backend keeps
 * their buffers alive until the command buffer is submitted.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {SingleGateRNN, SingleGateRNNAttrs, SingleGateRNNInputs} from '../../src/contracts/matrix_kernel.js';
import {
  ELEMENTWISE_PROJECTION_UNIFORMS,
  ElementwiseProjectionProgram,
} from './elementwise_projection_program.js';
import {
  ELEMENTWISE_RECURRENCE_UNIFORMS,
  ElementwiseRecurrenceProgram,
} from './elementwise_recurrence_program.js';
import {BufferNeed, checkBufferLimits, inputNeed, SEQUENCE_ADVICE} from './buffer_limits.js';
import {withErrorScopes} from './error_scopes.js';
import {finalStateOf} from './final_state_program.js';
import {PROJECTION_UNIFORMS, ProjectionProgram} from './projection_program.js';
import {RECURRENCE_UNIFORMS, RecurrenceProgram} from './recurrence_program.js';
import {cachedRecurrentWeights} from './recurrent_weights_cache.js';
import {recurrentWeightsLayout} from './recurrent_weights_layout.js';
import {RECURRENT_WEIGHTS_UNIFORMS, RecurrentWeightsProgram} from './recurrent_weights_program.js';
import {dispatchSteps} from './step_dispatches.js';
import {planRecurrence} from './strategy.js';

function singleGateRNNWebGPU(args: {
  inputs: SingleGateRNNInputs;
  backend: WebGPUBackend;
  attrs: SingleGateRNNAttrs;
}): TensorInfo[] {
  const {inputs, backend, attrs} = args;
  checkBufferLimits(buffersOf(inputs, attrs), backend.device.limits);
  return withErrorScopes(backend, () => record(inputs, backend, attrs));
}

/** Every buffer a call binds, for checkBufferLimits. */
function buffersOf(inputs: SingleGateRNNInputs, attrs: SingleGateRNNAttrs): BufferNeed[] {
  const [batch, time] = inputs.x.shape;
  const units = attrs.outputFeatureChannels;
  const sequence = SEQUENCE_ADVICE;
  const weights = 'use fewer units';
  const needs = [
    ...inputNeed('x', inputs.x, sequence),
    ...inputNeed('inputWeights', inputs.inputWeights, weights),
    ...inputNeed('recurrentWeights', inputs.recurrentWeights, weights),
    ...inputNeed('mask', inputs.mask, sequence),
    {name: 'output', shape: [batch, time, units], bytesPerElement: 4, advice: sequence},
  ];
  if (inputs.recurrentWeights != null) {
    const layout = recurrentWeightsLayout(units, !attrs.useFloat32Weights);
    needs.push({
      name: 'recurrentWeights as the recurrence reads them',
      shape: layout.shape,
      bytesPerElement: 4,
      advice: attrs.useFloat32Weights ? 'use fewer units, or float16 weights (half the size)' : weights,
    });
  }
  return needs;
}

/** Records the call's dispatches (see the top of this file); returns [output, finalState]. */
function record(
  inputs: SingleGateRNNInputs,
  backend: WebGPUBackend,
  attrs: SingleGateRNNAttrs,
): TensorInfo[] {
  const [batch, time] = inputs.x.shape;
  const units = attrs.outputFeatureChannels;
  const float16 = !attrs.useFloat32Weights;
  const shape = {batch, time, units};
  const biasTerms = inputs.biasTerms ?? null;
  const initialState = inputs.initialState ?? null;
  const mask = inputs.mask ?? null;

  // 1. P, in the buffer that becomes the output.
  let output: TensorInfo;
  if (inputs.inputWeights != null && !attrs.useLayerInputUnitTransformMode) {
    const program = new ProjectionProgram(
      {x: inputs.x, inputWeights: inputs.inputWeights, biasTerms},
      {...shape, roundToFloat16: float16},
    );
    const uniforms = PROJECTION_UNIFORMS.data({
      rows: batch * time,
      inputs: attrs.inputFeatureChannels,
      units,
    });
    output = backend.runWebGPUProgram(program, program.operands, 'float32', uniforms);
  } else {
    const x = attrs.useLayerInputUnitTransformMode ? inputs.x : null;
    const program = new ElementwiseProjectionProgram({x, biasTerms}, shape);
    const uniforms = ELEMENTWISE_PROJECTION_UNIFORMS.data({total: batch * time * units, units});
    output = backend.runWebGPUProgram(program, program.operands, 'float32', uniforms);
  }

  const neuron = {neuronA: attrs.neuronA, neuronB: attrs.neuronB, neuronC: attrs.neuronC};
  const backward = attrs.layerSequenceDirection === 'backward' ? 1 : 0;
  if (inputs.recurrentWeights == null) {
    // U = 0: every consumed step is g(P), independent of the state; only a skipped (masked) step
    // looks back, to the state before it.
    const program = new ElementwiseRecurrenceProgram(
      {initialState, mask},
      {...shape, neuron: attrs.neuronType},
    );
    const uniforms = ELEMENTWISE_RECURRENCE_UNIFORMS.data({
      total: batch * time * units,
      batch,
      time,
      backward,
      ...neuron,
    });
    backend.runWebGPUProgram(program, program.operands, 'float32', uniforms, output);
  } else {
    // 2. U in the recurrence's layout, prepared once per weights tensor (recurrent_weights_cache.ts).
    const weights = inputs.recurrentWeights;
    const recurrentWeights = cachedRecurrentWeights(backend, weights, float16 ? 'f16' : 'f32', () => {
      const weightsProgram = new RecurrentWeightsProgram({recurrentWeights: weights}, {units, float16});
      return backend.runWebGPUProgram(
        weightsProgram,
        weightsProgram.operands,
        weightsProgram.layout.dtype,
        RECURRENT_WEIGHTS_UNIFORMS.data({units, paddedUnits: weightsProgram.layout.paddedUnits}),
      );
    });

    // 3. The recurrence, in place.
    const plan = planRecurrence({...shape, float16}, backend.device.limits);
    const program = () =>
      new RecurrenceProgram(
        {recurrentWeights, initialState, mask},
        {batch, time, plan, float16, neuron: attrs.neuronType},
      );
    const steps = [];
    for (let begin = 0; begin < time; begin += plan.stepsPerDispatch) {
      steps.push(
        RECURRENCE_UNIFORMS.data({
          batch,
          time,
          stepBegin: begin,
          stepEnd: Math.min(begin + plan.stepsPerDispatch, time),
          backward,
          ...neuron,
        }),
      );
    }
    dispatchSteps(backend, program, program().operands, output, steps);
  }

  // 4. The state after the last consumed step.
  const finalState = finalStateOf(backend, output, {batch, time, units, lastTime: backward ? 0 : time - 1});
  return [output, finalState];
}

export const singleGateRNNWebGPUConfig: KernelConfig = {
  kernelName: SingleGateRNN,
  backendName: 'webgpu',
  kernelFunc: singleGateRNNWebGPU as unknown as KernelFunc,
};
