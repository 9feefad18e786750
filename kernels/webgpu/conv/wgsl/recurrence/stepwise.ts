/**
 * The stepwise recurrence, for images too large for one workgroup's step: one dispatch per step, one
 * invocation per pixel and quad of every batch row. h_{t-1} is read from `result` at the previous step's
 * time (or from the initial state), which the previous dispatch wrote; the backend's dispatch boundaries
 * order the steps. An invocation writes only its own four channels of step t, and no invocation reads
 * step t, so in-place updates cannot race. No workgroup memory, no barriers.
 */
import {perChannel, windowSum} from '../window.js';
import {recurrenceHeader, recurrentWindow, ConvRecurrenceShaderOptions} from './common.js';

export function stepwiseConvRecurrenceWgsl(o: ConvRecurrenceShaderOptions): string {
  const {channels} = o;
  const {quads} = o.plan;
  const size = {height: 'uniforms.height', width: 'uniforms.width'};
  const previousOf = (e: string): string =>
    `select(${o.hasInitialState ? `initialState[b * state + ${e}]` : '0.0'}, result[previous + ${e}], s > 0)`;
  const carry = o.hasMask
    ? `if (mask[b * uniforms.time + t] == 0) {
    ${perChannel(channels, (_, c) => `result[at + ${c}] = ${previousOf(`pixel * ${channels} + ${c}`)};`)}
    return;
  }`
    : '';
  return `${recurrenceHeader(o)}
fn main(index : i32) {
  let rowItems = uniforms.height * uniforms.width * ${quads};
  if (index >= uniforms.batch * rowItems) {
    return;
  }
  let b = index / rowItems;
  let item = index % rowItems;
  let pixel = item / ${quads};
  let q = item % ${quads};
  let y = pixel / uniforms.width;
  let px = pixel % uniforms.width;
  let state = uniforms.height * uniforms.width * ${channels};
  let s = uniforms.stepBegin;
  let t = sgTime(s);
  let at = (b * uniforms.time + t) * state + pixel * ${channels};
  // Where h_{t-1} sits in result (meaningful for s > 0 only).
  let previous = (b * uniforms.time + sgTime(max(s - 1, 0))) * state;
  ${carry}
  var acc = vec4<f32>(0.0);
  ${perChannel(channels, (k, c) => `acc[${k}] = result[at + ${c}];`)}
  if (s > 0) {${windowSum(recurrentWindow(o), (e) => `result[previous + ${e}]`, size)}
  }${
    o.hasInitialState
      ? ` else {
    let initial = b * state;${windowSum(recurrentWindow(o), (e) => `initialState[initial + ${e}]`, size)}
  }`
      : ''
  }
  let h = sgNeuron4(acc);
  ${perChannel(channels, (k, c) => `result[at + ${c}] = h[${k}];`)}
}
`;
}
