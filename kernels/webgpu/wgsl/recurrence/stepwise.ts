/**
 * The stepwise recurrence, for U too large to stream through one workgroup every step: a workgroup owns
 * a slice of `quads` quads of units for a tile of `rows` batch rows and runs one step per dispatch,
 * reading h_{t-1} from `result` (or the initial state), which the previous dispatch wrote; the
 * backend's dispatch boundaries order the steps. Each workgroup reads only its slice of U, reused for
 * every row of its tile. One barrier publishes the partials to the finishing invocations; it is
 * reached by every invocation (no early exit before it).
 */
// The shared pieces, by kind: the options and indexing, the set-up blocks, the per-step sums.
import type {RecurrenceShaderOptions} from './common.js';
import {initialStateIndex, range, resultIndex} from './common.js';
import {invocationPrologue, recurrenceHeader, unlessAllRowsSkip, zeroAccumulators} from './common.js';
import {finishOutputs, storePartials, streamedAccumulate} from './common.js';

export function stepwiseRecurrenceWgsl(o: RecurrenceShaderOptions): string {
  const {plan} = o;
  const {rows} = plan;
  // Rows past the batch (in the last row block) read a clamped row; their outputs are never stored.
  const row = (r: number): string => `min(b0 + ${r}, uniforms.batch - 1)`;
  const previous = o.hasMask
    ? `fn sgPrevious(b : i32, i : i32, s : i32) -> f32 {
  if (s > 0) {
    return result[${resultIndex(o, 'b', 'sgTime(s - 1)', 'i')}];
  }
  return ${o.hasInitialState ? `initialState[${initialStateIndex(o, 'b', 'i')}]` : '0.0'};
}`
    : '';
  // U h_{t-1} for the tile: h from the previous step's output, or the initial state at step 0.
  const accumulate = `  if (s > 0) {
    let tPrev = sgTime(s - 1);
    ${range(rows)
      .map((r) => `let prev${r} = ${resultIndex(o, row(r), 'tPrev', '0')};`)
      .join('\n    ')}
    ${streamedAccumulate(o, (r, j) => `result[prev${r} + ${j}]`)}
  } ${
    o.hasInitialState
      ? `else {${streamedAccumulate(o, (r, j) => `initialState[${initialStateIndex(o, row(r), j)}]`)}
  }`
      : ''
  }`;
  return `${recurrenceHeader(o, previous)}
fn main(index : i32) {
  ${invocationPrologue(plan)}
  let q0 = i32(workgroupId.x) * ${plan.quads};
  let q = q0 + ql;
  let b0 = i32(workgroupId.y) * ${rows};
  let s = uniforms.stepBegin;
  let t = sgTime(s);
  ${zeroAccumulators(plan)}
  ${unlessAllRowsSkip(o, 'b0', 't', accumulate)}
  ${storePartials(plan)}
  workgroupBarrier();
  ${finishOutputs(o, {p: () => 'result[at]', previous: 'sgPrevious(b, i, s)', after: ''})}
}
`;
}
