/**
 * The fused WebGPU kernel of the image variant, h_t = g(conv(x_t, W) + conv(h_{t-1}, U) + b). Per call,
 * with no readback and nothing compiled after the first call of a configuration (every constant a
 * shader bakes in is in its program's shaderKey):
 * 1. W laid out by output-channel quads (rounded to float16 values unless useFloat32Weights), then
 *    P = conv(x_t, W) + b for all steps in one dispatch (an implicit GEMM over batch · time · height ·
 *    width pixel rows), written into the output buffer; without W, P = x (unit transform) or 0, plus b;
 * 2. U laid out the same way (W and U laid out on the first call with a weights tensor only, kept while
 *    it lives);
 * 3. the recurrence in place on the output buffer, as strategy.ts plans it (persistent: one workgroup
 *    per batch row loops over the steps; stepwise: one dispatch per step; without U: one dispatch);
 * 4. finalState copied out of the output's last consumed step.
 * The programs without a window (P without W, the recurrence without U, the final state) are the
 * matrix kernel's, run over each step's image as one row of height · width · channels values. A call
 * runs in the frame of ../traced_kernel_call.ts (W and U laid out before its work is traced, steps 1
 * to 4 traced once per configuration and replayed after).
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {
  leadingPad,
  SingleGateConvRNN,
  SingleGateConvRNNAttrs,
  SingleGateConvRNNInputs,
} from '../../../src/contracts/image_kernel.js';
import {BufferNeed, inputNeed, limitsOf, SEQUENCE_ADVICE} from '../buffer_limits.js';
import {
  ELEMENTWISE_PROJECTION_UNIFORMS,
  ElementwiseProjectionProgram,
} from '../elementwise_projection_program.js';
import {
  ELEMENTWISE_RECURRENCE_UNIFORMS,
  ElementwiseRecurrenceProgram,
} from '../elementwise_recurrence_program.js';
import {finalStateOf} from '../final_state_program.js';
import {stepsOver} from '../dispatch_steps.js';
import {runProgram, runSteps} from '../recorded_dispatches.js';
import {cachedRecurrentWeights} from '../recurrent_weights_cache.js';
import {runKernelCall} from '../traced_kernel_call.js';
import {CONV_PROJECTION_UNIFORMS, ConvProjectionProgram} from './projection_program.js';
import {CONV_RECURRENCE_UNIFORMS, ConvRecurrenceProgram} from './recurrence_program.js';
import {planConvRecurrence} from './strategy.js';
import {ConvWeightsProgram, convWeightsShape} from './weights_program.js';

/** The sizes of a call, read from its inputs' shapes. */
interface ConvShape {
  batch: number;
  time: number;
  height: number;
  width: number;
  inputs: number;
  channels: number;
}

function shapeOf(inputs: SingleGateConvRNNInputs, attrs: SingleGateConvRNNAttrs): ConvShape {
  const [batch, time, height, width, channels] = inputs.x.shape;
  return {batch, time, height, width, inputs: channels, channels: attrs.outputFeatureChannels};
}

function singleGateConvRNNWebGPU(args: {
  inputs: SingleGateConvRNNInputs;
  backend: WebGPUBackend;
  attrs: SingleGateConvRNNAttrs;
}): TensorInfo[] {
  const {inputs, backend, attrs} = args;
  const shape = shapeOf(inputs, attrs);
  const {x, inputWeights, biasTerms, recurrentWeights, initialState, mask} = inputs;
  const float16 = !attrs.useFloat32Weights;
  return runKernelCall(backend, {
    kernel: SingleGateConvRNN,
    inputs: [x, inputWeights, biasTerms, recurrentWeights, initialState, mask],
    attrs,
    buffers: () => buffersOf(inputs, attrs, shape),
    // W (unless the unit transform ignores it) and U laid out once per weights tensor.
    kept: () =>
      [
        inputWeights == null || attrs.useLayerInputUnitTransformMode
          ? null
          : laidOut(backend, inputWeights, float16),
        recurrentWeights == null ? null : laidOut(backend, recurrentWeights, float16),
      ] as const,
    record: (laidOutWeights) => record(inputs, laidOutWeights, backend, attrs, shape),
  });
}

/** Every buffer a call binds, for checkBufferLimits. */
function buffersOf(
  inputs: SingleGateConvRNNInputs,
  attrs: SingleGateConvRNNAttrs,
  s: ConvShape,
): BufferNeed[] {
  const sequence = SEQUENCE_ADVICE;
  const weights = 'use fewer channels or a smaller kernel';
  const needs = [
    ...inputNeed('x', inputs.x, sequence),
    ...inputNeed('inputWeights', inputs.inputWeights, weights),
    ...inputNeed('recurrentWeights', inputs.recurrentWeights, weights),
    ...inputNeed('initialState', inputs.initialState, sequence),
    ...inputNeed('mask', inputs.mask, sequence),
    {
      name: 'output',
      shape: [s.batch, s.time, s.height, s.width, s.channels],
      bytesPerElement: 4,
      advice: sequence,
    },
  ];
  for (const name of ['inputWeights', 'recurrentWeights'] as const) {
    const tensor = inputs[name];
    if (tensor == null || (name === 'inputWeights' && attrs.useLayerInputUnitTransformMode)) continue;
    needs.push({
      name: `${name} as the shaders read them`,
      shape: convWeightsShape(tensor.shape),
      bytesPerElement: 4,
      advice: weights,
    });
  }
  return needs;
}

/** Records the call's dispatches (see the top of this file); returns [output, finalState]. */
function record(
  inputs: SingleGateConvRNNInputs,
  [inputWeights, recurrentWeights]: readonly [TensorInfo | null, TensorInfo | null],
  backend: WebGPUBackend,
  attrs: SingleGateConvRNNAttrs,
  s: ConvShape,
): TensorInfo[] {
  const {batch, time, height, width, channels} = s;
  const outputShape = [batch, time, height, width, channels];
  const imageSize = height * width * channels;
  const biasTerms = inputs.biasTerms ?? null;
  const initialState = inputs.initialState ?? null;
  const mask = inputs.mask ?? null;

  // 1. P, in the buffer that becomes the output.
  let output: TensorInfo;
  if (inputs.inputWeights != null && inputWeights != null) {
    const [, kernelHeight, kernelWidth] = inputs.inputWeights.shape;
    const program = new ConvProjectionProgram(
      {x: inputs.x, inputWeights, biasTerms},
      {outputShape, inChannels: s.inputs, window: windowOf(kernelHeight, kernelWidth, attrs)},
    );
    const uniforms = CONV_PROJECTION_UNIFORMS.data({
      images: batch * time,
      inChannels: s.inputs,
      height,
      width,
    });
    output = runProgram(backend, program, uniforms, {dtype: 'float32'});
  } else {
    // Channels last: every pixel of every step is one row of `channels` values.
    const x = attrs.useLayerInputUnitTransformMode ? inputs.x : null;
    const rows = {batch, time: time * height * width, units: channels};
    const program = new ElementwiseProjectionProgram({x, biasTerms}, rows);
    const uniforms = ELEMENTWISE_PROJECTION_UNIFORMS.data({total: batch * time * imageSize, units: channels});
    output = runProgram(backend, program, uniforms, {dtype: 'float32'});
  }

  const neuron = {neuronA: attrs.neuronA, neuronB: attrs.neuronB, neuronC: attrs.neuronC};
  const backward = attrs.layerSequenceDirection === 'backward' ? 1 : 0;
  if (inputs.recurrentWeights == null || recurrentWeights == null) {
    // U = 0: each step's image is one row of the matrix kernel's elementwise recurrence.
    const program = new ElementwiseRecurrenceProgram(
      {initialState, mask},
      {batch, time, units: imageSize, neuron: attrs.neuronType},
    );
    const uniforms = ELEMENTWISE_RECURRENCE_UNIFORMS.data({
      total: batch * time * imageSize,
      batch,
      time,
      backward,
      ...neuron,
    });
    runProgram(backend, program, uniforms, output);
  } else {
    const [, kernelHeight, kernelWidth] = inputs.recurrentWeights.shape;
    // 3. The recurrence, in place.
    const plan = planConvRecurrence(
      {batch, time, height, width, channels, kernelHeight, kernelWidth},
      limitsOf(backend.device),
    );
    const {padTop, padLeft} = windowOf(kernelHeight, kernelWidth, attrs);
    const shader = {
      plan,
      channels,
      kernelHeight,
      kernelWidth,
      padTop,
      padLeft,
      height,
      width,
      neuron: attrs.neuronType,
      outputShape,
    };
    const program = () => new ConvRecurrenceProgram({recurrentWeights, initialState, mask}, shader);
    const steps = stepsOver(time, plan.stepsPerDispatch, (stepBegin, stepEnd) =>
      CONV_RECURRENCE_UNIFORMS.data({batch, time, height, width, stepBegin, stepEnd, backward, ...neuron}),
    );
    runSteps(backend, program, program().operands, steps, output);
  }

  // 4. The state after the last consumed step: each batch row's image at that step.
  const finalState = finalStateOf(backend, output, {
    batch,
    time,
    units: imageSize,
    lastTime: backward ? 0 : time - 1,
  });
  // Same data, the image's shape: the programs above index their buffers flat.
  return [
    {...output, shape: outputShape},
    {...finalState, shape: [batch, height, width, channels]},
  ];
}

/**
 * W or U laid out by ConvWeightsProgram, made on the first call with a weights tensor and kept while it
 * lives, as the matrix kernel keeps its U (recurrent_weights_cache.ts). The caller must not dispose it.
 */
function laidOut(backend: WebGPUBackend, weights: TensorInfo, float16: boolean): TensorInfo {
  return cachedRecurrentWeights(backend, weights, float16 ? 'conv-f16' : 'conv-f32', () => {
    const program = new ConvWeightsProgram({weights}, {float16});
    return runProgram(backend, program, ConvWeightsProgram.uniformsFor(weights), {dtype: 'float32'});
  });
}

/** A window's sizes, leading pads and output-channel quads (what the shaders bake in besides channels). */
function windowOf(
  kernelHeight: number,
  kernelWidth: number,
  attrs: SingleGateConvRNNAttrs,
): {kernelHeight: number; kernelWidth: number; padTop: number; padLeft: number; quads: number} {
  return {
    kernelHeight,
    kernelWidth,
    padTop: leadingPad(kernelHeight, attrs.padding),
    padLeft: leadingPad(kernelWidth, attrs.padding),
    quads: Math.ceil(attrs.outputFeatureChannels / 4),
  };
}

export const singleGateConvRNNWebGPUConfig: KernelConfig = {
  kernelName: SingleGateConvRNN,
  backendName: 'webgpu',
  kernelFunc: singleGateConvRNNWebGPU as unknown as KernelFunc,
};
