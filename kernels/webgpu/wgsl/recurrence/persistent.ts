/**
 * The persistent recurrence: a workgroup owns every unit of its `rows` batch rows and runs a range of
 * steps inside one dispatch, keeping h in workgroup memory, double-buffered so that a step reads one
 * half while the finishing invocations write the other. No other workgroup reads these rows, so no
 * cross-workgroup synchronization is needed. Steps are cut into several dispatches (the state carried
 * in `result`) to keep any one dispatch short enough for GPU watchdogs.
 *
 * Per step (P and h go through workgroup memory a chunk of steps at a time: chunkedStepLoop in
 * common.ts): accumulate U h over the invocation's segment; barrier 1 publishes the partials;
 * finish the outputs; barrier 2 publishes the new h and frees the partials for the next step. Both
 * barriers sit in the step loop, whose bounds are uniforms: uniform control flow, as WGSL requires.
 *
 * A step is latency-bound, so when the plan says so (registerU) each invocation loads its slice of U
 * into registers once, before the loop; otherwise U is streamed from memory every step.
 */
// The shared pieces, by kind: the options and indexing, the set-up blocks, the per-step sums, the chunk.
import type {RecurrenceShaderOptions} from './common.js';
import {initialStateIndex, range, resultIndex, wordOfU} from './common.js';
import {invocationPrologue, recurrenceHeader, unlessAllRowsSkip, zeroAccumulators} from './common.js';
import {finishOutputs, storePartials, streamedAccumulate} from './common.js';
import {chunkDeclaration, chunkedStepLoop, chunkSlot} from './common.js';

export function persistentRecurrenceWgsl(o: RecurrenceShaderOptions): string {
  const {plan} = o;
  const {units, rows, threads, segment} = plan;
  const stateSize = rows * units;

  // U h_{t-1} over the segment, h from the current half of `state`.
  let accumulate: string;
  let loadU = '';
  if (plan.registerU) {
    const js = range(segment);
    loadU = js.map((jj) => `let u${jj} = sgLoadU(jBegin + ${jj}, q);`).join('\n  ');
    // Inputs past `units` (in the last segment) have zero weights; their state reads are clamped into
    // bounds and zeroed too, since 0 * inf would be NaN.
    const h = (r: number, jj: number): string =>
      plan.splits * segment > units
        ? `select(0.0, state[hBase + ${r * units} + min(jBegin + ${jj}, ${units - 1})], jBegin + ${jj} < ${units})`
        : `state[hBase + ${r * units} + jBegin + ${jj}]`;
    accumulate = range(rows)
      .flatMap((r) => js.map((jj) => `acc${r} = fma(u${jj}, vec4<f32>(${h(r, jj)}), acc${r});`))
      .join('\n    ');
  } else {
    accumulate = streamedAccumulate(o, (r, j) => `state[hBase + ${r * units} + ${j}]`);
  }

  const extra = `var<workgroup> state : array<f32, ${2 * stateSize}>;
${
  plan.registerU
    ? `fn sgLoadU(j : i32, q : i32) -> vec4<f32> {
  if (j >= ${units}) {
    return vec4<f32>(0.0);
  }
  return ${wordOfU(o, 'j', 'q')};
}`
    : ''
}
${chunkDeclaration(plan)}`;

  return `${recurrenceHeader(o, extra)}
fn main(index : i32) {
  ${invocationPrologue(plan)}
  let q = ql;
  let q0 = 0;
  let b0 = i32(workgroupId.x) * ${rows};
  let first = uniforms.stepBegin;
  ${loadU}
  // h before the first step of this dispatch: the initial state, or what the previous dispatch wrote.
  for (var e = lid; e < ${stateSize}; e = e + ${threads}) {
    let r = e / ${units};
    let j = e % ${units};
    let b = min(b0 + r, uniforms.batch - 1);
    var v = 0.0;
    if (first > 0) {
      v = result[${resultIndex(o, 'b', 'sgTime(first - 1)', 'j')}];
    } ${o.hasInitialState ? `else {\n      v = initialState[${initialStateIndex(o, 'b', 'j')}];\n    }` : ''}
    state[e] = v;
  }
  workgroupBarrier();
  var current = 0;
  ${chunkedStepLoop(
    o,
    `let hBase = current * ${stateSize};
      ${zeroAccumulators(plan)}
      ${unlessAllRowsSkip(o, 'b0', 't', accumulate)}
      ${storePartials(plan)}
      workgroupBarrier();
      ${finishOutputs(o, {
        p: (f) => chunkSlot(plan, f),
        store: (f) => chunkSlot(plan, f),
        previous: `state[hBase + r * ${units} + i]`,
        after: `state[(1 - current) * ${stateSize} + r * ${units} + i] = h;`,
      })}
      workgroupBarrier();
      current = 1 - current;`,
  )}
}
`;
}
