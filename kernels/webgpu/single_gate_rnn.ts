/**
 * The fused WebGPU kernel. Per call, with no readback and nothing compiled after the first call of a
 * configuration (every constant a shader bakes in is in its program's shaderKey):
 * 1. the input projection P = x Wᵀ + b for all steps in one dispatch, written into the output buffer;
 * 2. U transposed (and rounded to packed float16 unless useFloat32Weights) by one small dispatch, on
 *    the first call with a given weights tensor only (kept while that tensor lives);
 * 3. the recurrence in place on the output buffer, as strategy.ts plans it (persistent: one dispatch
 *    per few thousand steps; stepwise: one dispatch per step; without U: one dispatch in all);
 *    every dispatch recorded once per shape and replayed after (recorded_dispatches.ts);
 * 4. finalState copied out of the output's last consumed step (buffer copies for a few rows, else a
 *    program).
 * Each program names its own inputs (and which are bound); the kernel hands over tensors by name.
 * A call runs in the frame of traced_kernel_call.ts: steps 1, 3 and 4 are traced once per
 * configuration and replayed after (U is prepared before, outside the trace).
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {SingleGateRNN, SingleGateRNNAttrs, SingleGateRNNInputs} from '../../src/contracts/matrix_kernel.js';
import {BufferNeed, inputNeed, SEQUENCE_ADVICE} from './buffer_limits.js';
import {
  ELEMENTWISE_RECURRENCE_UNIFORMS,
  ElementwiseRecurrenceProgram,
} from './elementwise_recurrence_program.js';
import {finalStateOf} from './final_state_program.js';
import {preparedRecurrentWeights, projectionOf, runRecurrence} from './matrix_steps.js';
import {runProgram} from './recorded_dispatches.js';
import {recurrentWeightsLayout} from './recurrent_weights_layout.js';
import {runKernelCall} from './traced_kernel_call.js';

function singleGateRNNWebGPU(args: {
  inputs: SingleGateRNNInputs;
  backend: WebGPUBackend;
  attrs: SingleGateRNNAttrs;
}): TensorInfo[] {
  const {inputs, backend, attrs} = args;
  const {x, inputWeights, biasTerms, recurrentWeights, initialState, mask} = inputs;
  const units = attrs.outputFeatureChannels;
  return runKernelCall(backend, {
    kernel: SingleGateRNN,
    inputs: [x, inputWeights, biasTerms, recurrentWeights, initialState, mask],
    attrs,
    buffers: () => buffersOf(inputs, attrs),
    // 2. U in the recurrence's layout, prepared once per weights tensor.
    kept: () =>
      [
        recurrentWeights == null
          ? null
          : preparedRecurrentWeights(backend, recurrentWeights, units, !attrs.useFloat32Weights),
      ] as const,
    record: ([prepared]) => record(inputs, prepared, backend, attrs),
  });
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
  recurrentWeights: TensorInfo | null,
  backend: WebGPUBackend,
  attrs: SingleGateRNNAttrs,
): TensorInfo[] {
  const [batch, time] = inputs.x.shape;
  const units = attrs.outputFeatureChannels;
  const initialState = inputs.initialState ?? null;
  const mask = inputs.mask ?? null;
  const backward = attrs.layerSequenceDirection === 'backward';

  // 1. P, in the buffer that becomes the output.
  const output = projectionOf(backend, inputs, attrs);
  if (recurrentWeights == null) {
    // U = 0: every consumed step is g(P), independent of the state; only a skipped (masked) step
    // looks back, to the state before it.
    const program = new ElementwiseRecurrenceProgram(
      {initialState, mask},
      {batch, time, units, neuron: attrs.neuronType},
    );
    const uniforms = ELEMENTWISE_RECURRENCE_UNIFORMS.data({
      total: batch * time * units,
      batch,
      time,
      backward: backward ? 1 : 0,
      neuronA: attrs.neuronA,
      neuronB: attrs.neuronB,
      neuronC: attrs.neuronC,
    });
    runProgram(backend, program, uniforms, output);
  } else {
    // 3. The recurrence, in place.
    runRecurrence(backend, output, {recurrentWeights, initialState, mask}, attrs, {batch, time, backward});
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
