/**
 * The stepwise recurrence, for images too large for one workgroup's step: one dispatch per step. h_{t-1}
 * is read from `result` at the previous step's time (or from the initial state), which the previous
 * dispatch wrote; the backend's dispatch boundaries order the steps. Only the invocation finishing an
 * item writes, only its own four channels of step t, and no invocation reads step t's h, so in-place
 * updates cannot race.
 *
 * An item is one quad of a tile of plan.tile neighbouring pixels of one image row (strategy.ts): each
 * vec4 of U the window reads is loaded once for the whole tile.
 *
 * Unsplit (plan.splits 1): one invocation per item of every batch row sums the whole window
 * (kernelHeight · kernelWidth · channels terms) and writes h_t. No workgroup memory, no barriers.
 *
 * Split (plan.splits S > 1, for long windows; strategy.ts): S neighbouring invocations of a workgroup
 * share one item, invocation `part` summing input channels part, part + S, ... of every tap (so the S
 * read neighbouring channels of one pixel of h, and the window's serial loop is S times shorter). Each
 * leaves its partial vec4s in workgroup memory; after one barrier, part 0 adds the S partials to P, applies
 * the neuron and writes. The barrier must be reached in uniform control flow: invocations past the last
 * item (the dispatch is rounded up to whole workgroups) work on the last item and write nothing, and a
 * masked step skips the sums but not the barrier.
 */
import {perChannel, tileAccumulators, tiledWindowSum} from '../window.js';
import {recurrenceHeader, recurrentWindow, ConvRecurrenceShaderOptions} from './common.js';

export function stepwiseConvRecurrenceWgsl(o: ConvRecurrenceShaderOptions): string {
  const {channels} = o;
  const {quads, splits, threads, tile} = o.plan;
  const size = {height: 'uniforms.height', width: 'uniforms.width'};
  const split = {first: splits === 1 ? '0' : 'part', stride: splits};
  const window = recurrentWindow(o);
  const accumulators = tileAccumulators(tile);
  /** `body(acc, p)` for each pixel p of the tile inside the image, with its accumulator. */
  const perPixel = (body: (acc: string, p: number) => string): string =>
    accumulators.map((acc, p) => `if (px + ${p} < uniforms.width) {\n    ${body(acc, p)}\n  }`).join('\n  ');
  const previousOf = (e: string): string =>
    `select(${o.hasInitialState ? `initialState[b * state + ${e}]` : '0.0'}, result[previous + ${e}], s > 0)`;
  const carry = perPixel((_, p) =>
    perChannel(
      channels,
      (_k, c) =>
        `result[at + ${p * channels} + ${c}] = ${previousOf(`(pixel + ${p}) * ${channels} + ${c}`)};`,
    ),
  );
  // acc += U's window sum over h_{t-1} (this invocation's share of the channels when split).
  const sum = `if (s > 0) {${tiledWindowSum(window, (e) => `result[previous + ${e}]`, size, split, tile)}
  }${
    o.hasInitialState
      ? ` else {
    let initial = b * state;${tiledWindowSum(window, (e) => `initialState[initial + ${e}]`, size, split, tile)}
  }`
      : ''
  }`;
  // Where the item sits, for item index `item` of the step (every batch row's items in a row): image
  // row y, the tile's first pixel px, quad q.
  const locate = `let tiles = (uniforms.width + ${tile - 1}) / ${tile};
  let b = item / rowItems;
  let tileIndex = (item % rowItems) / ${quads};
  let q = item % ${quads};
  let y = tileIndex / tiles;
  let px = (tileIndex % tiles) * ${tile};
  let pixel = y * uniforms.width + px;
  let state = uniforms.height * uniforms.width * ${channels};
  let s = uniforms.stepBegin;
  let t = sgTime(s);
  let at = (b * uniforms.time + t) * state + pixel * ${channels};
  // Where h_{t-1} sits in result (meaningful for s > 0 only).
  let previous = (b * uniforms.time + sgTime(max(s - 1, 0))) * state;`;
  const rowItems = `let rowItems = uniforms.height * ((uniforms.width + ${tile - 1}) / ${tile}) * ${quads};`;
  const declare = accumulators.map((acc) => `var ${acc} = vec4<f32>(0.0);`).join('\n  ');
  // acc starts at P (perPixel: a pixel past the edge reads nothing).
  const addP = perPixel((acc, p) =>
    perChannel(channels, (k, c) => `${acc}[${k}] = ${acc}[${k}] + result[at + ${p * channels} + ${c}];`),
  );
  const finish = perPixel(
    (acc, p) => `let h = sgNeuron4(${acc});
    ${perChannel(channels, (k, c) => `result[at + ${p * channels} + ${c}] = h[${k}];`)}`,
  );
  if (splits === 1) {
    return `${recurrenceHeader(o)}
fn main(index : i32) {
  ${rowItems}
  if (index >= uniforms.batch * rowItems) {
    return;
  }
  let item = index;
  ${locate}
  ${o.hasMask ? `if (mask[b * uniforms.time + t] == 0) {\n    ${carry}\n    return;\n  }` : ''}
  ${declare}
  ${sum}
  ${addP}
  ${finish}
}
`;
  }
  return `${recurrenceHeader(o)}
var<workgroup> partial : array<vec4<f32>, ${threads * tile}>;

fn main(index : i32) {
  ${rowItems}
  let items = uniforms.batch * rowItems;
  let inRange = index / ${splits} < items;
  let item = min(index / ${splits}, items - 1);
  let part = index % ${splits};
  ${locate}
  let carried = ${o.hasMask ? 'mask[b * uniforms.time + t] == 0' : 'false'};
  ${declare}
  if (!carried) {
    ${sum}
  }
  let lid = i32(localIndex);
  ${accumulators.map((acc, p) => `partial[lid * ${tile} + ${p}] = ${acc};`).join('\n  ')}
  workgroupBarrier();
  if (inRange && part == 0) {
    if (carried) {
      ${carry}
    } else {
      for (var other = 1; other < ${splits}; other = other + 1) {
        ${accumulators.map((acc, p) => `${acc} = ${acc} + partial[(lid + other) * ${tile} + ${p}];`).join('\n        ')}
      }
      ${addP}
      ${finish}
    }
  }
}
`;
}
