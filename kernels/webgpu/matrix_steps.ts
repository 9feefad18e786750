/**
 * The steps of a matrix call, shared by the one-direction kernel (single_gate_rnn.ts) and the pair
 * kernel (bidirectional.ts): the input projection P, U prepared once per weights tensor, and the
 * recurrence's dispatches. Each runs through recorded_dispatches.ts, so a call repeated at one shape
 * replays its dispatches.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {SingleGateRNNAttrs} from '../../src/contracts/matrix_kernel.js';
import {limitsOf} from './buffer_limits.js';
import {
  ELEMENTWISE_PROJECTION_UNIFORMS,
  ElementwiseProjectionProgram,
} from './elementwise_projection_program.js';
import {PROJECTION_UNIFORMS, ProjectionProgram} from './projection_program.js';
import {stepsOver} from './dispatch_steps.js';
import {runProgram, runSteps} from './recorded_dispatches.js';
import {RECURRENCE_UNIFORMS, RecurrenceProgram} from './recurrence_program.js';
import {cachedRecurrentWeights} from './recurrent_weights_cache.js';
import {RECURRENT_WEIGHTS_UNIFORMS, RecurrentWeightsProgram} from './recurrent_weights_program.js';
import {planRecurrence} from './strategy.js';

/** What one direction's projection reads. */
interface ProjectionInputs {
  x: TensorInfo;
  inputWeights?: TensorInfo | null;
  biasTerms?: TensorInfo | null;
}

/** P [batch, time, units] of one direction: x Wᵀ + b, or x (unit transform) or 0, plus b. */
export function projectionOf(
  backend: WebGPUBackend,
  inputs: ProjectionInputs,
  attrs: SingleGateRNNAttrs,
): TensorInfo {
  const [batch, time] = inputs.x.shape;
  const units = attrs.outputFeatureChannels;
  const shape = {batch, time, units};
  const biasTerms = inputs.biasTerms ?? null;
  if (inputs.inputWeights != null && !attrs.useLayerInputUnitTransformMode) {
    const program = new ProjectionProgram(
      {x: inputs.x, inputWeights: inputs.inputWeights, biasTerms},
      {...shape, inputs: attrs.inputFeatureChannels, roundToFloat16: !attrs.useFloat32Weights},
      limitsOf(backend.device),
    );
    const uniforms = PROJECTION_UNIFORMS.data({
      rows: batch * time,
      inputs: attrs.inputFeatureChannels,
      units,
    });
    return runProgram(backend, program, uniforms, {dtype: 'float32'});
  }
  const x = attrs.useLayerInputUnitTransformMode ? inputs.x : null;
  const program = new ElementwiseProjectionProgram({x, biasTerms}, shape);
  const uniforms = ELEMENTWISE_PROJECTION_UNIFORMS.data({total: batch * time * units, units});
  return runProgram(backend, program, uniforms, {dtype: 'float32'});
}

/**
 * U in the recurrence's layout, prepared on the first call with a weights tensor and kept while it
 * lives (recurrent_weights_cache.ts). The caller must not dispose it.
 */
export function preparedRecurrentWeights(
  backend: WebGPUBackend,
  weights: TensorInfo,
  units: number,
  float16: boolean,
): TensorInfo {
  return cachedRecurrentWeights(backend, weights, float16 ? 'f16' : 'f32', () => {
    const program = new RecurrentWeightsProgram({recurrentWeights: weights}, {units, float16});
    const uniforms = RECURRENT_WEIGHTS_UNIFORMS.data({units, paddedUnits: program.layout.paddedUnits});
    return runProgram(backend, program, uniforms, {dtype: program.layout.dtype});
  });
}

/**
 * The recurrence in place on `output` (which holds P; both directions' joined, when bidirectional), as
 * strategy.ts plans it.
 */
export function runRecurrence(
  backend: WebGPUBackend,
  output: TensorInfo,
  inputs: {recurrentWeights: TensorInfo; initialState: TensorInfo | null; mask: TensorInfo | null},
  attrs: SingleGateRNNAttrs,
  opts: {batch: number; time: number; backward: boolean; bidirectional?: boolean},
): void {
  const {batch, time} = opts;
  const units = attrs.outputFeatureChannels;
  const float16 = !attrs.useFloat32Weights;
  const plan = planRecurrence({batch, time, units, float16}, limitsOf(backend.device));
  const {neuronA, neuronB, neuronC} = attrs;
  const program = () =>
    new RecurrenceProgram(inputs, {
      batch,
      time,
      plan,
      float16,
      neuron: attrs.neuronType,
      bidirectional: opts.bidirectional,
    });
  const steps = stepsOver(time, plan.stepsPerDispatch, (stepBegin, stepEnd) =>
    RECURRENCE_UNIFORMS.data({
      batch,
      time,
      stepBegin,
      stepEnd,
      backward: opts.backward ? 1 : 0,
      neuronA,
      neuronB,
      neuronC,
    }),
  );
  runSteps(backend, program, program().operands, steps, output);
}
