/**
 * What the two strategies of the convolutional recurrence share. The recurrence is
 * h_t = g(P_t + conv(h_{t-1}, U)), where P (conv(x_t, W) + b) already sits in the output buffer `result`
 * ([batch, time, height, width, channels]) and is overwritten by h in place.
 *
 * The work item is one pixel and one quad (four output channels) of one batch row: a vec4 accumulator
 * starts at P and sums, over U's window taps inside the image and every input channel c, the vec4 of U
 * laid out by recurrent_weights.ts times h_{t-1} at the tapped pixel. Taps in the zero padding are
 * skipped. A masked step (mask false; bool buffers hold i32) skips g: h_t = h_{t-1}.
 */
import type {NeuronType} from '../../../../../src/descriptor.js';
import {neuronWgsl} from '../../../wgsl/neuron.js';
import type {ConvRecurrencePlan} from '../../strategy.js';

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

/**
 * Adds U's window over h_{t-1} to `acc`, for the item at pixel (y, px) and quad q (in scope).
 * `h(e)` reads h_{t-1} at element e = pixel · channels + c of the batch row's image; `height` and
 * `width` are WGSL expressions (baked numbers or uniforms).
 */
export function windowSum(
  o: ConvRecurrenceShaderOptions,
  h: (e: string) => string,
  size: {height: string; width: string},
): string {
  const {channels, kernelHeight, kernelWidth, padTop, padLeft} = o;
  const {quads} = o.plan;
  return `
    for (var dy = 0; dy < ${kernelHeight}; dy = dy + 1) {
      let yy = y + dy - ${padTop};
      if (yy >= 0 && yy < ${size.height}) {
        for (var dx = 0; dx < ${kernelWidth}; dx = dx + 1) {
          let xx = px + dx - ${padLeft};
          if (xx >= 0 && xx < ${size.width}) {
            let h0 = (yy * ${size.width} + xx) * ${channels};
            let u0 = (dy * ${kernelWidth} + dx) * ${channels};
            for (var c = 0; c < ${channels}; c = c + 1) {
              acc = fma(recurrentWeights[(u0 + c) * ${quads} + q], vec4<f32>(${h('h0 + c')}), acc);
            }
          }
        }
      }
    }`;
}

/** `body(k, o)` for each of the quad's four channels that exist (o = 4q + k < channels). */
export function perChannel(
  o: ConvRecurrenceShaderOptions,
  body: (k: number, channel: string) => string,
): string {
  // Channels are a multiple of 4: every quad is full and the guards go.
  const full = o.channels % 4 === 0;
  return [0, 1, 2, 3]
    .map((k) => {
      const channel = `4 * q + ${k}`;
      return full ? `{ ${body(k, channel)} }` : `if (${channel} < ${o.channels}) { ${body(k, channel)} }`;
    })
    .join('\n      ');
}
