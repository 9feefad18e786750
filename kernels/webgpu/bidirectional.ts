/**
 * The fused WebGPU kernel of `SingleGateRNNBidirectional`: one forward and one backward layer whose
 * recurrences share their dispatches (the backward direction's workgroups at z = 1 of the same grid),
 * so the two sequential step loops run side by side instead of one after the other. Per call:
 * 1. each direction's input projection P, as `SingleGateRNN` computes it, joined into one buffer
 *    [batch, time, 2 * units] (forward units, then backward units, per step);
 * 2. each direction's U in the recurrence's layout, joined one after the other; the initial states
 *    joined like P (an absent one reads as zeros);
 * 3. the recurrence in place on the joined buffer, planned by strategy.ts exactly as one direction
 *    alone would be, so each direction computes the same values as its own `SingleGateRNN` call.
 * The result is that buffer: the 'concatenate' layout; the op slices the rest out of it.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {
  directionInputs,
  DirectionInputs,
  SingleGateRNNBidirectional,
  SingleGateRNNBidirectionalAttrs,
  SingleGateRNNBidirectionalInputs,
} from '../../src/contracts/pair_kernel.js';
import {PairPolicy, runTogether} from '../../src/sequence/pair_policy.js';
import type {SingleGateRNNAttrs} from '../../src/contracts/matrix_kernel.js';
import {BufferNeed, checkBufferLimits, inputNeed} from './buffer_limits.js';
import {
  ELEMENTWISE_PROJECTION_UNIFORMS,
  ElementwiseProjectionProgram,
} from './elementwise_projection_program.js';
import {withErrorScopes} from './error_scopes.js';
import {JOIN_DIRECTIONS_UNIFORMS, JoinDirectionsProgram} from './join_directions_program.js';
import {PROJECTION_UNIFORMS, ProjectionProgram} from './projection_program.js';
import {RECURRENCE_UNIFORMS, RecurrenceProgram} from './recurrence_program.js';
import {recurrentWeightsLayout} from './recurrent_weights_layout.js';
import {RECURRENT_WEIGHTS_UNIFORMS, RecurrentWeightsProgram} from './recurrent_weights_program.js';
import {DeviceLimits, planRecurrence} from './strategy.js';

function singleGateRNNBidirectionalWebGPU(args: {
  inputs: SingleGateRNNBidirectionalInputs;
  backend: WebGPUBackend;
  attrs: SingleGateRNNBidirectionalAttrs;
}): TensorInfo[] {
  const {inputs, backend, attrs} = args;
  const forward = directionInputs(inputs, 'forward');
  const backward = directionInputs(inputs, 'backward');
  const bothHaveU = forward.recurrentWeights != null && backward.recurrentWeights != null;
  if (!runTogether(attrs.forward, attrs.backward, bothHaveU)) {
    throw new Error(
      `${SingleGateRNNBidirectional} on webgpu: the two layers must both have recurrent weights and ` +
        'agree on outputFeatureChannels, useFloat32Weights and the neuron (the op runs other pairs as ' +
        'two SingleGateRNN calls)',
    );
  }
  checkBufferLimits(buffersOf(forward, backward, attrs.forward, inputs.mask), backend.device.limits);
  return withErrorScopes(backend, () => [record(forward, backward, inputs.mask ?? null, backend, attrs)]);
}

/** Every buffer of a call, for checkBufferLimits: the joined ones are the largest. */
function buffersOf(
  forward: DirectionInputs,
  backward: DirectionInputs,
  attrs: SingleGateRNNAttrs,
  mask: TensorInfo | undefined,
): BufferNeed[] {
  const [batch, time] = forward.x.shape;
  const units = attrs.outputFeatureChannels;
  const sequence = 'run the batch in parts, or shorter sequences one after the other (initialStates)';
  const weights = 'use fewer units';
  const needs: BufferNeed[] = [
    ...inputNeed('x', forward.x, sequence),
    ...inputNeed('the backward layer x', backward.x, sequence),
    ...inputNeed('inputWeights', forward.inputWeights, weights),
    ...inputNeed('the backward layer inputWeights', backward.inputWeights, weights),
    ...inputNeed('mask', mask, sequence),
  ];
  const layout = recurrentWeightsLayout(units, !attrs.useFloat32Weights);
  needs.push(
    {name: 'both directions output', shape: [batch, time, 2 * units], bytesPerElement: 4, advice: sequence},
    {
      name: 'both directions recurrentWeights as the recurrence reads them',
      shape: [2, ...layout.shape],
      bytesPerElement: 4,
      advice: weights,
    },
  );
  return needs;
}

/** P of one direction: the projection, or bias / x alone, as `SingleGateRNN` computes it. */
function projection(inputs: DirectionInputs, attrs: SingleGateRNNAttrs, backend: WebGPUBackend): TensorInfo {
  const [batch, time] = inputs.x.shape;
  const units = attrs.outputFeatureChannels;
  const shape = {batch, time, units};
  const biasTerms = inputs.biasTerms ?? null;
  if (inputs.inputWeights != null && !attrs.useLayerInputUnitTransformMode) {
    const program = new ProjectionProgram(
      {x: inputs.x, inputWeights: inputs.inputWeights, biasTerms},
      {...shape, roundToFloat16: !attrs.useFloat32Weights},
    );
    const uniforms = PROJECTION_UNIFORMS.data({
      rows: batch * time,
      inputs: attrs.inputFeatureChannels,
      units,
    });
    return backend.runWebGPUProgram(program, program.operands, 'float32', uniforms);
  }
  const x = attrs.useLayerInputUnitTransformMode ? inputs.x : null;
  const program = new ElementwiseProjectionProgram({x, biasTerms}, shape);
  const uniforms = ELEMENTWISE_PROJECTION_UNIFORMS.data({total: batch * time * units, units});
  return backend.runWebGPUProgram(program, program.operands, 'float32', uniforms);
}

/** U of one direction in the recurrence's layout. */
function preparedU(
  recurrentWeights: TensorInfo,
  units: number,
  float16: boolean,
  backend: WebGPUBackend,
): TensorInfo {
  const program = new RecurrentWeightsProgram({recurrentWeights}, {units, float16});
  return backend.runWebGPUProgram(
    program,
    program.operands,
    program.layout.dtype,
    RECURRENT_WEIGHTS_UNIFORMS.data({units, paddedUnits: program.layout.paddedUnits}),
  );
}

/** Two buffers of `rows` chunks joined row by row (see JoinDirectionsProgram); the parts released. */
function join(
  first: TensorInfo | null,
  second: TensorInfo | null,
  opts: {rows: number; chunk: number; dtype: 'float32' | 'int32'},
  backend: WebGPUBackend,
  release: boolean,
): TensorInfo {
  const program = new JoinDirectionsProgram({first, second}, opts);
  const uniforms = JOIN_DIRECTIONS_UNIFORMS.data({rows: opts.rows, chunk: opts.chunk});
  const joined = backend.runWebGPUProgram(program, program.operands, opts.dtype, uniforms);
  if (release) {
    for (const part of [first, second]) if (part != null) backend.disposeData(part.dataId);
  }
  return joined;
}

function record(
  forward: DirectionInputs,
  backward: DirectionInputs,
  mask: TensorInfo | null,
  backend: WebGPUBackend,
  attrs: SingleGateRNNBidirectionalAttrs,
): TensorInfo {
  const [batch, time] = forward.x.shape;
  const units = attrs.forward.outputFeatureChannels;
  const float16 = !attrs.forward.useFloat32Weights;
  const {neuronA, neuronB, neuronC, neuronType} = attrs.forward;

  // 1. Both P, joined: the buffer the recurrence runs on and that becomes the output.
  const output = join(
    projection(forward, attrs.forward, backend),
    projection(backward, attrs.backward, backend),
    {rows: batch * time, chunk: units, dtype: 'float32'},
    backend,
    true,
  );

  // 2. Both U (checked present by runTogether) and both initial states, joined.
  const layout = recurrentWeightsLayout(units, float16);
  const recurrentWeights = join(
    preparedU(forward.recurrentWeights!, units, float16, backend),
    preparedU(backward.recurrentWeights!, units, float16, backend),
    {rows: 1, chunk: layout.shape[0] * layout.shape[1], dtype: layout.dtype},
    backend,
    true,
  );
  const hasState = forward.initialState != null || backward.initialState != null;
  const initialState = hasState
    ? join(
        forward.initialState ?? null,
        backward.initialState ?? null,
        {rows: batch, chunk: units, dtype: 'float32'},
        backend,
        false,
      )
    : null;

  // 3. The recurrence, both directions in each dispatch.
  const plan = planRecurrence({batch, time, units, float16}, backend.device.limits);
  for (let begin = 0; begin < time; begin += plan.stepsPerDispatch) {
    const program = new RecurrenceProgram(
      {recurrentWeights, initialState, mask},
      {batch, time, plan, float16, neuron: neuronType, bidirectional: true},
    );
    const uniforms = RECURRENCE_UNIFORMS.data({
      batch,
      time,
      stepBegin: begin,
      stepEnd: Math.min(begin + plan.stepsPerDispatch, time),
      backward: 0,
      neuronA,
      neuronB,
      neuronC,
    });
    backend.runWebGPUProgram(program, program.operands, 'float32', uniforms, output);
  }
  backend.disposeData(recurrentWeights.dataId);
  if (initialState != null) backend.disposeData(initialState.dataId);
  // Joined as [batch * time, 2, units]: the same data as [batch, time, 2 * units].
  return {dataId: output.dataId, shape: [batch, time, 2 * units], dtype: output.dtype};
}

export const singleGateRNNBidirectionalWebGPUConfig: KernelConfig = {
  kernelName: SingleGateRNNBidirectional,
  backendName: 'webgpu',
  kernelFunc: singleGateRNNBidirectionalWebGPU as unknown as KernelFunc,
};

/**
 * webgpu's pair policy: pairs only where the recurrence is persistent. Measured on an NVIDIA H200
 * (Node + Dawn, bench/bidirectional_concurrency.ts, median of 15, call to both outputs' data):
 *   (16, 100, 256, 256) persistent: one pair call 3.4 ms, two calls 3.5 ms
 *   (1, 1000, 128, 128) persistent: 2.1 ms, 2.4 ms
 *   (64, 256, 512, 512) persistent: 45.2 ms, 48.8 ms
 *   (16, 50, 1024, 1024) sliced: 6.0 ms, 4.6 ms
 * A sliced step already fills the GPU with one direction's workgroups, so sharing its dispatches
 * only makes each twice as long; persistent workgroups of the two directions run side by side.
 */
export function webgpuPairPolicy(limits: () => DeviceLimits): PairPolicy {
  return ({batch, time}, attrs) =>
    planRecurrence(
      {batch, time, units: attrs.outputFeatureChannels, float16: !attrs.useFloat32Weights},
      limits(),
    ).strategy !== 'sliced';
}
