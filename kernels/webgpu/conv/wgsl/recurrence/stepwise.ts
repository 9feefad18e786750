/**
 * The stepwise recurrence, for images too large for one workgroup's step: one dispatch per step. h_{t-1}
 * is read from `result` at the previous step's time (or from the initial state), which the previous
 * dispatch wrote; the backend's dispatch boundaries order the steps. Only the invocation finishing an
 * item writes, only its own four channels of step t, and no invocation reads step t's h, so in-place
 * updates cannot race.
 *
 * Unsplit (plan.splits 1): one invocation per pixel and quad of every batch row sums the whole window
 * (kernelHeight · kernelWidth · channels terms) and writes h_t. No workgroup memory, no barriers.
 *
 * Split (plan.splits S > 1, for long windows; strategy.ts): S neighbouring invocations of a workgroup
 * share one item, invocation `part` summing input channels part, part + S, ... of every tap (so the S
 * read neighbouring channels of one pixel of h, and the window's serial loop is S times shorter). Each
 * leaves its partial vec4 in workgroup memory; after one barrier, part 0 adds the S partials to P, applies
 * the neuron and writes. The barrier must be reached in uniform control flow: invocations past the last
 * item (the dispatch is rounded up to whole workgroups) work on the last item and write nothing, and a
 * masked step skips the sums but not the barrier.
 */
import {perChannel, windowSum} from '../window.js';
import {recurrenceHeader, recurrentWindow, ConvRecurrenceShaderOptions} from './common.js';

export function stepwiseConvRecurrenceWgsl(o: ConvRecurrenceShaderOptions): string {
  const {channels} = o;
  const {quads, splits, threads} = o.plan;
  const size = {height: 'uniforms.height', width: 'uniforms.width'};
  const split = {first: splits === 1 ? '0' : 'part', stride: splits};
  const window = recurrentWindow(o);
  const previousOf = (e: string): string =>
    `select(${o.hasInitialState ? `initialState[b * state + ${e}]` : '0.0'}, result[previous + ${e}], s > 0)`;
  const carry = perChannel(
    channels,
    (_, c) => `result[at + ${c}] = ${previousOf(`pixel * ${channels} + ${c}`)};`,
  );
  // acc += U's window sum over h_{t-1} (this invocation's share of the channels when split).
  const sum = `if (s > 0) {${windowSum(window, (e) => `result[previous + ${e}]`, size, split)}
  }${
    o.hasInitialState
      ? ` else {
    let initial = b * state;${windowSum(window, (e) => `initialState[initial + ${e}]`, size, split)}
  }`
      : ''
  }`;
  // Where the item sits, for item index `item` of the step (every batch row's items in a row).
  const locate = `let b = item / rowItems;
  let pixel = (item % rowItems) / ${quads};
  let q = item % ${quads};
  let y = pixel / uniforms.width;
  let px = pixel % uniforms.width;
  let state = uniforms.height * uniforms.width * ${channels};
  let s = uniforms.stepBegin;
  let t = sgTime(s);
  let at = (b * uniforms.time + t) * state + pixel * ${channels};
  // Where h_{t-1} sits in result (meaningful for s > 0 only).
  let previous = (b * uniforms.time + sgTime(max(s - 1, 0))) * state;`;
  const finish = `let h = sgNeuron4(acc);
    ${perChannel(channels, (k, c) => `result[at + ${c}] = h[${k}];`)}`;
  if (splits === 1) {
    return `${recurrenceHeader(o)}
fn main(index : i32) {
  let rowItems = uniforms.height * uniforms.width * ${quads};
  if (index >= uniforms.batch * rowItems) {
    return;
  }
  let item = index;
  ${locate}
  ${o.hasMask ? `if (mask[b * uniforms.time + t] == 0) {\n    ${carry}\n    return;\n  }` : ''}
  var acc = vec4<f32>(0.0);
  ${perChannel(channels, (k, c) => `acc[${k}] = result[at + ${c}];`)}
  ${sum}
  {
    ${finish}
  }
}
`;
  }
  return `${recurrenceHeader(o)}
var<workgroup> partial : array<vec4<f32>, ${threads}>;

fn main(index : i32) {
  let rowItems = uniforms.height * uniforms.width * ${quads};
  let items = uniforms.batch * rowItems;
  let inRange = index / ${splits} < items;
  let item = min(index / ${splits}, items - 1);
  let part = index % ${splits};
  ${locate}
  let carried = ${o.hasMask ? 'mask[b * uniforms.time + t] == 0' : 'false'};
  var acc = vec4<f32>(0.0);
  if (!carried) {
    ${sum}
  }
  let lid = i32(localIndex);
  partial[lid] = acc;
  workgroupBarrier();
  if (inRange && part == 0) {
    if (carried) {
      ${carry}
    } else {
      ${perChannel(channels, (k, c) => `acc[${k}] = acc[${k}] + result[at + ${c}];`)}
      for (var other = 1; other < ${splits}; other = other + 1) {
        acc = acc + partial[lid + other];
      }
      ${finish}
    }
  }
}
`;
}
