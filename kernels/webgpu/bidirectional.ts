/**
 * The fused WebGPU kernel of `SingleGateRNNBidirectional`: one forward and one backward layer whose
 * recurrences share their dispatches (the backward direction's workgroups at z = 1 of the same grid),
 * so the two sequential step loops run side by side instead of one after the other. Per call:
 * 1. each direction's input projection P, as `SingleGateRNN` computes it, joined into one buffer
 *    [batch, time, 2 * units] (forward units, then backward units, per step);
 * 2. each direction's U in the recurrence's layout (prepared once per weights tensor, as the
 *    one-direction kernel does), joined one after the other; the initial states joined like P (an
 *    absent one reads as zeros);
 * 3. the recurrence in place on the joined buffer, planned by strategy.ts exactly as one direction
 *    alone would be, so each direction computes the same values as its own `SingleGateRNN` call.
 * The result is that buffer: the 'concatenate' layout; the op slices the rest out of it. The joined
 * parts are released once recorded (through call_trace.ts, so that a replay releases its own), and a
 * call runs in the frame of traced_kernel_call.ts: traced once per configuration, replayed after.
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
import {BufferNeed, inputNeed} from './buffer_limits.js';
import {releaseIntermediate} from './call_trace.js';
import {JOIN_DIRECTIONS_UNIFORMS, JoinDirectionsProgram} from './join_directions_program.js';
import {preparedRecurrentWeights, projectionOf, runRecurrence} from './matrix_steps.js';
import {runProgram} from './recorded_dispatches.js';
import {recurrentWeightsLayout} from './recurrent_weights_layout.js';
import {DeviceLimits, planRecurrence} from './strategy.js';
import {runKernelCall} from './traced_kernel_call.js';

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
  const units = attrs.forward.outputFeatureChannels;
  const float16 = !attrs.forward.useFloat32Weights;
  return runKernelCall(backend, {
    kernel: SingleGateRNNBidirectional,
    // directionInputs names every input of a direction, absent ones too, always in the same order.
    inputs: [...Object.values(forward), ...Object.values(backward), inputs.mask],
    attrs,
    buffers: () => buffersOf(forward, backward, attrs.forward, inputs.mask),
    // 2. Each direction's U (checked present by runTogether), prepared once per weights tensor.
    kept: () =>
      [
        preparedRecurrentWeights(backend, forward.recurrentWeights!, units, float16),
        preparedRecurrentWeights(backend, backward.recurrentWeights!, units, float16),
      ] as const,
    record: (prepared) => [record(forward, backward, prepared, inputs.mask ?? null, backend, attrs)],
  });
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
  const joined = runProgram(backend, program, uniforms, {dtype: opts.dtype});
  if (release) {
    for (const part of [first, second]) if (part != null) releaseIntermediate(backend, part);
  }
  return joined;
}

function record(
  forward: DirectionInputs,
  backward: DirectionInputs,
  preparedU: readonly [TensorInfo, TensorInfo],
  mask: TensorInfo | null,
  backend: WebGPUBackend,
  attrs: SingleGateRNNBidirectionalAttrs,
): TensorInfo {
  const [batch, time] = forward.x.shape;
  const units = attrs.forward.outputFeatureChannels;
  const float16 = !attrs.forward.useFloat32Weights;

  // 1. Both P, joined: the buffer the recurrence runs on and that becomes the output.
  const output = join(
    projectionOf(backend, forward, attrs.forward),
    projectionOf(backend, backward, attrs.backward),
    {rows: batch * time, chunk: units, dtype: 'float32'},
    backend,
    true,
  );

  // 2. Both prepared U and both initial states, joined for this call.
  const layout = recurrentWeightsLayout(units, float16);
  const recurrentWeights = join(
    ...preparedU,
    {rows: 1, chunk: layout.shape[0] * layout.shape[1], dtype: layout.dtype},
    backend,
    false,
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
  runRecurrence(backend, output, {recurrentWeights, initialState, mask}, attrs.forward, {
    batch,
    time,
    backward: false,
    bidirectional: true,
  });
  releaseIntermediate(backend, recurrentWeights);
  if (initialState != null) releaseIntermediate(backend, initialState);
  // Joined as [batch * time, 2, units]: the same data as [batch, time, 2 * units].
  return {dataId: output.dataId, shape: [batch, time, 2 * units], dtype: output.dtype};
}

export const singleGateRNNBidirectionalWebGPUConfig: KernelConfig = {
  kernelName: SingleGateRNNBidirectional,
  backendName: 'webgpu',
  kernelFunc: singleGateRNNBidirectionalWebGPU as unknown as KernelFunc,
};

/**
 * webgpu's pair policy: pairs where the recurrence is resident or persistent, and single steps.
 * Measured on an NVIDIA H200 (Node + Dawn, bench/bidirectional_concurrency.ts, median of 15, call to both outputs' data):
 *   (16, 100, 256, 256) persistent: one pair call 3.4 ms, two calls 3.5 ms
 *   (1, 1000, 128, 128) persistent: 2.1 ms, 2.4 ms
 *   (64, 256, 512, 512) persistent: 45.2 ms, 48.8 ms
 *   (16, 50, 1024, 1024) stepwise: 6.0 ms, 4.6 ms
 * A stepwise step already fills the GPU with one direction's workgroups, so sharing its dispatches
 * only makes each twice as long; persistent workgroups of the two directions run side by side.
 */
export function webgpuPairPolicy(limits: () => DeviceLimits): PairPolicy {
  // A single step is one dispatch per direction whatever its plan: paired, the two directions'
  // workgroups share one dispatch.
  return ({batch, time}, attrs) =>
    time === 1 ||
    planRecurrence(
      {batch, time, units: attrs.outputFeatureChannels, float16: !attrs.useFloat32Weights},
      limits(),
    ).strategy !== 'stepwise';
}
