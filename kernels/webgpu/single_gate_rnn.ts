/**
 * The fused WebGPU kernel. Per call, with no readback and nothing compiled after the first call of a
 * configuration (every constant a shader bakes in is in its program's shaderKey):
 * 1. the input projection P = x Wᵀ + b for all steps in one dispatch, written into the output buffer;
 * 2. U transposed (and rounded to packed float16 unless useFloat32Weights) by one small dispatch;
 * 3. the recurrence in place on the output buffer, as strategy.ts plans it (persistent: one dispatch
 *    per few thousand steps; sliced: one dispatch per step; without U: one dispatch in all);
 * 4. finalState copied out of the output's last consumed step.
 * Intermediates are released as soon as the dispatches that read them are recorded; the backend keeps
 * their buffers alive until the command buffer is submitted.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {SingleGateRNN, SingleGateRNNAttrs, SingleGateRNNInputs} from '../../src/kernel_names.js';
import {
  ELEMENTWISE_PROJECTION_UNIFORMS,
  ElementwiseProjectionProgram,
} from './elementwise_projection_program.js';
import {FINAL_STATE_UNIFORMS, FinalStateProgram} from './final_state_program.js';
import {flat} from './program_util.js';
import {PROJECTION_UNIFORMS, ProjectionProgram} from './projection_program.js';
import {
  ELEMENTWISE_RECURRENCE_UNIFORMS,
  ElementwiseRecurrenceProgram,
  RECURRENCE_UNIFORMS,
  RecurrenceProgram,
} from './recurrence_program.js';
import {RECURRENT_WEIGHTS_UNIFORMS, RecurrentWeightsProgram} from './recurrent_weights_program.js';
import {planRecurrence} from './strategy.js';

function singleGateRNNWebGPU(args: {
  inputs: SingleGateRNNInputs;
  backend: WebGPUBackend;
  attrs: SingleGateRNNAttrs;
}): TensorInfo[] {
  const {inputs, backend, attrs} = args;
  const [batch, time] = inputs.x.shape;
  const units = attrs.outputFeatureChannels;
  const float16 = !attrs.useFloat32Weights;
  const shape = {batch, time, units};
  const bias = inputs.biasTerms;

  // 1. P, in the buffer that becomes the output.
  let output: TensorInfo;
  if (inputs.inputWeights != null && !attrs.useLayerInputUnitTransformMode) {
    const program = new ProjectionProgram({...shape, roundToFloat16: float16, hasBias: bias != null});
    const operands = [flat(inputs.x), flat(inputs.inputWeights), ...(bias ? [flat(bias)] : [])];
    const uniforms = PROJECTION_UNIFORMS.data({
      rows: batch * time,
      inputs: attrs.inputFeatureChannels,
      units,
    });
    output = backend.runWebGPUProgram(program, operands, 'float32', uniforms);
  } else {
    const unitTransform = attrs.useLayerInputUnitTransformMode;
    const program = new ElementwiseProjectionProgram({...shape, unitTransform, hasBias: bias != null});
    const operands = [...(unitTransform ? [flat(inputs.x)] : []), ...(bias ? [flat(bias)] : [])];
    const uniforms = ELEMENTWISE_PROJECTION_UNIFORMS.data({total: batch * time * units, units});
    output = backend.runWebGPUProgram(program, operands, 'float32', uniforms);
  }

  const neuron = {neuronA: attrs.neuronA, neuronB: attrs.neuronB, neuronC: attrs.neuronC};
  const backward = attrs.layerSequenceDirection === 'backward' ? 1 : 0;
  const {initialState: initial, mask} = inputs;
  if (inputs.recurrentWeights == null) {
    // U = 0: every consumed step is g(P), independent of the state; only a skipped (masked) step
    // looks back, to the state before it.
    const program = new ElementwiseRecurrenceProgram({
      ...shape,
      neuron: attrs.neuronType,
      hasMask: mask != null,
      hasInitialState: initial != null,
    });
    const operands = mask ? [...(initial ? [flat(initial)] : []), flat(mask)] : [];
    const uniforms = ELEMENTWISE_RECURRENCE_UNIFORMS.data({
      total: batch * time * units,
      batch,
      time,
      backward,
      ...neuron,
    });
    backend.runWebGPUProgram(program, operands, 'float32', uniforms, output);
  } else {
    // 2. U in the recurrence's layout.
    const weightsProgram = new RecurrentWeightsProgram({units, float16});
    const prepared = backend.runWebGPUProgram(
      weightsProgram,
      [flat(inputs.recurrentWeights)],
      weightsProgram.outputDtype,
      RECURRENT_WEIGHTS_UNIFORMS.data({units, paddedUnits: 4 * Math.ceil(units / 4)}),
    );

    // 3. The recurrence, in place.
    const plan = planRecurrence({...shape, float16}, backend.device.limits);
    const operands = [flat(prepared), ...(initial ? [flat(initial)] : []), ...(mask ? [flat(mask)] : [])];
    for (let begin = 0; begin < time; begin += plan.stepsPerDispatch) {
      // A program object per dispatch: the backend appends to `shaderKey` on every run.
      const program = new RecurrenceProgram({
        ...shape,
        plan,
        float16,
        hasInitialState: initial != null,
        hasMask: mask != null,
        neuron: attrs.neuronType,
      });
      const uniforms = RECURRENCE_UNIFORMS.data({
        batch,
        time,
        stepBegin: begin,
        stepEnd: Math.min(begin + plan.stepsPerDispatch, time),
        backward,
        ...neuron,
      });
      backend.runWebGPUProgram(program, operands, 'float32', uniforms, output);
    }
    backend.disposeData(prepared.dataId);
  }

  // 4. The state after the last consumed step.
  const lastTime = attrs.layerSequenceDirection === 'backward' ? 0 : time - 1;
  const finalState = backend.runWebGPUProgram(
    new FinalStateProgram({batch, units}),
    [flat(output)],
    'float32',
    FINAL_STATE_UNIFORMS.data({batch, time, units, lastTime}),
  );
  return [output, finalState];
}

export const singleGateRNNWebGPUConfig: KernelConfig = {
  kernelName: SingleGateRNN,
  backendName: 'webgpu',
  kernelFunc: singleGateRNNWebGPU as unknown as KernelFunc,
};
