/**
 * What the two strategies of the convolutional recurrence share. The recurrence is
 * h_t = g(P_t + conv(h_{t-1}, U)), where P (conv(x_t, W) + b) already sits in the output buffer `result`
 * ([batch, time, height, width, channels]) and is overwritten by h in place.
 *
 * The work item is one pixel and one quad (four output channels) of one batch row: a vec4 accumulator
 * starts at P and adds U's window sum over h_{t-1} (../window.ts); the stepwise strategy may split
 * that sum by input channels over several invocations (stepwise.ts). A masked step (mask false; bool
 * buffers hold i32) skips g: h_t = h_{t-1}.
 */
import type {NeuronType} from '../../../../../src/contracts/descriptor.js';
import {neuronWgsl} from '../../../wgsl/neuron.js';
import type {ConvRecurrencePlan} from '../../strategy.js';
import type {ConvWindow} from '../window.js';

export interface ConvRecurrenceShaderOptions {
  plan: ConvRecurrencePlan;
  /** Output channels (U's input and output channels). */
  channels: number;
  kernelHeight: number;
  kernelWidth: number;
  padTop: number;
  padLeft: number;
  /** Persistent only: the image size, baked so the state's workgroup array has a fixed size. */
  height: number;
  width: number;
  neuron: NeuronType;
  hasInitialState: boolean;
  hasMask: boolean;
}

/** The neuron (scalar and per quad) and the step-to-time map both strategies use. */
export function recurrenceHeader(o: ConvRecurrenceShaderOptions): string {
  return `${neuronWgsl(o.neuron)}
fn sgNeuron4(v : vec4<f32>) -> vec4<f32> {
  return vec4<f32>(sgNeuron(v.x), sgNeuron(v.y), sgNeuron(v.z), sgNeuron(v.w));
}
fn sgTime(s : i32) -> i32 {
  return select(s, uniforms.time - 1 - s, uniforms.backward != 0);
}`;
}

/** U's window as the window sum (../window.ts) reads it. */
export function recurrentWindow(o: ConvRecurrenceShaderOptions): ConvWindow {
  const {channels, kernelHeight, kernelWidth, padTop, padLeft} = o;
  return {
    weights: 'recurrentWeights',
    inChannels: String(channels),
    quads: o.plan.quads,
    kernelHeight,
    kernelWidth,
    padTop,
    padLeft,
  };
}
