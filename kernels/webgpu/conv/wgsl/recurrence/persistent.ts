/**
 * The persistent recurrence, for small images: one workgroup per batch row keeps the row's whole state
 * h (height · width · channels floats) in workgroup memory and runs a range of steps inside one
 * dispatch; no other workgroup touches the row. Steps are cut into several dispatches (the state
 * carried in `result`) to keep a dispatch short enough for GPU watchdogs.
 *
 * Per step: each invocation computes h_t for its items (pixel, quad) into registers, reading h_{t-1}
 * from `state`; barrier 1 waits until every invocation has read h_{t-1}; each invocation then writes
 * its h_t into `state` and `result`; barrier 2 publishes the new state to the next step. A masked step
 * (the mask is one value per row, so the whole workgroup agrees) computes nothing and writes the state
 * it carries. Both barriers sit in the step loop, whose bounds are uniforms: uniform control flow, as
 * WGSL requires.
 */
import {perChannel, windowSum} from '../window.js';
import {recurrenceHeader, recurrentWindow, ConvRecurrenceShaderOptions} from './common.js';

export function persistentConvRecurrenceWgsl(o: ConvRecurrenceShaderOptions): string {
  const {channels, height, width} = o;
  const {quads, threads, rowItems, itemsPerInvocation} = o.plan;
  const stateSize = height * width * channels;
  const size = {height: String(height), width: String(width)};
  const item = `let item = lid + f * ${threads};
      let pixel = item / ${quads};
      let q = item % ${quads};`;
  return `${recurrenceHeader(o)}
var<workgroup> state : array<f32, ${stateSize}>;

fn main(index : i32) {
  let lid = i32(localIndex);
  let b = i32(workgroupId.x);
  let first = uniforms.stepBegin;
  // h before the first step of this dispatch: the initial state, or what the previous dispatch wrote.
  for (var e = lid; e < ${stateSize}; e = e + ${threads}) {
    var v = 0.0;
    if (first > 0) {
      v = result[(b * uniforms.time + sgTime(first - 1)) * ${stateSize} + e];
    } ${o.hasInitialState ? `else {\n      v = initialState[b * ${stateSize} + e];\n    }` : ''}
    state[e] = v;
  }
  workgroupBarrier();
  var fresh : array<vec4<f32>, ${itemsPerInvocation}>;
  for (var s = first; s < uniforms.stepEnd; s = s + 1) {
    let t = sgTime(s);
    let base = (b * uniforms.time + t) * ${stateSize};
    let consume = ${o.hasMask ? 'mask[b * uniforms.time + t] != 0' : 'true'};
    if (consume) {
      for (var f = 0; f < ${itemsPerInvocation}; f = f + 1) {
        ${item}
        if (item < ${rowItems}) {
          let y = pixel / ${width};
          let px = pixel % ${width};
          let at = base + pixel * ${channels};
          var acc = vec4<f32>(0.0);
          ${perChannel(channels, (k, c) => `acc[${k}] = result[at + ${c}];`)}
          ${windowSum(recurrentWindow(o), (e) => `state[${e}]`, size)}
          fresh[f] = sgNeuron4(acc);
        }
      }
    }
    workgroupBarrier();
    for (var f = 0; f < ${itemsPerInvocation}; f = f + 1) {
      ${item}
      if (item < ${rowItems}) {
        let e0 = pixel * ${channels};
        ${perChannel(
          channels,
          (k, c) => `if (consume) {
          state[e0 + ${c}] = fresh[f][${k}];
        }
        result[base + e0 + ${c}] = state[e0 + ${c}];`,
        )}
      }
    }
    workgroupBarrier();
  }
}
`;
}
