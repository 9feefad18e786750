/**
 * The resident recurrence, for layers small enough that one invocation can hold a whole row of U in
 * registers: a workgroup owns every unit of its `rows` batch rows and runs a range of steps inside one
 * dispatch, as the persistent strategy does, but invocation i owns unit i outright. It keeps U's row i
 * (four inputs per vec4 register) for the whole step loop and reads h_{t-1} as vec4 words of workgroup
 * memory, so no dot product is split and no partial sums are exchanged: one barrier per step (the one
 * that publishes the new h), where the split strategies need two. A step is latency-bound at these
 * sizes, and its chain is the unit's dot product (two accumulators per row, to halve the dependent
 * fma chain), the neuron and that barrier.
 *
 * h is double-buffered in workgroup memory: step s reads one half and writes the other, and the
 * barrier at the end of step s orders those writes before step s + 1's reads (and every read of the
 * first half before step s + 1 writes it again). P of step s + 1 is fetched during step s, so its
 * memory latency hides behind a whole step.
 */
// The shared pieces, by kind: the options and indexing, the set-up blocks, the finishing.
import type {RecurrenceShaderOptions} from './common.js';
import {initialStateIndex, range, resultIndex, wordOfU} from './common.js';
import {recurrenceHeader, sgLoadPFunction, unlessAllRowsSkip} from './common.js';
import {finishOutputs} from './common.js';

/** Accumulators per row: two chains of fma over alternate words of U. */
const CHAINS = 2;

export function residentRecurrenceWgsl(o: RecurrenceShaderOptions): string {
  const {plan} = o;
  const {units, rows, unitQuads, threads} = plan;
  // h of one half of `state`: row r's unit quad m at r * unitQuads + m.
  const half = rows * unitQuads;
  const words = range(unitQuads);
  const loadU = words
    .map(
      (m) =>
        `let w${m} = vec4<f32>(${range(4)
          .map((c) => `sgU(${4 * m + c}, i)`)
          .join(', ')});`,
    )
    .join('\n  ');
  const accumulators = range(rows)
    .flatMap((r) => range(CHAINS).map((c) => `var acc${r}_${c} = vec4<f32>(0.0);`))
    .join('\n    ');
  const accumulate = range(rows)
    .flatMap((r) =>
      words.map(
        (m) =>
          `acc${r}_${m % CHAINS} = fma(w${m}, state[hBase + ${r * unitQuads + m}], acc${r}_${m % CHAINS});`,
      ),
    )
    .join('\n    ');
  const sums = range(rows)
    .map((r) => {
      const acc = range(CHAINS)
        .map((c) => `acc${r}_${c}`)
        .join(' + ');
      return `sums[${r}] = dot(${acc}, vec4<f32>(1.0));`;
    })
    .join('\n    ');

  const extra = `var<workgroup> state : array<vec4<f32>, ${2 * half}>;
// U[i][j]: component i % 4 of input j's word for quad i / 4 (0 past the units).
fn sgU(j : i32, i : i32) -> f32 {
  if (j >= ${units} || i >= ${units}) {
    return 0.0;
  }
  return ${wordOfU(o, 'j', 'i / 4')}[i % 4];
}
${sgLoadPFunction(o)}`;

  return `${recurrenceHeader(o, extra)}
fn main(index : i32) {
  let lid = i32(localIndex);
  let i = lid;
  let q0 = 0;
  let b0 = i32(workgroupId.x) * ${rows};
  let first = uniforms.stepBegin;
  ${loadU}
  // Both halves of h: the first from the initial state or what the previous dispatch wrote, the
  // second zero, so the padding past the units stays zero (U is zero there too, but 0 * inf is NaN).
  for (var e = lid; e < ${2 * half * 4}; e = e + ${threads}) {
    let r = (e / ${unitQuads * 4}) % ${rows};
    let j = e % ${unitQuads * 4};
    let b = min(b0 + r, uniforms.batch - 1);
    var v = 0.0;
    if (e < ${half * 4} && j < ${units}) {
      if (first > 0) {
        v = result[${resultIndex(o, 'b', 'sgTime(first - 1)', 'j')}];
      } ${o.hasInitialState ? `else {\n        v = initialState[${initialStateIndex(o, 'b', 'j')}];\n      }` : ''}
    }
    state[e / 4][e % 4] = v;
  }
  var current = 0;
  var p : array<f32, ${rows}>;
  var pNext : array<f32, ${rows}>;
  var sums : array<f32, ${rows}>;
  for (var f = 0; f < ${rows}; f = f + 1) {
    pNext[f] = sgLoadP(lid + f * ${threads}, sgTime(first), b0);
  }
  workgroupBarrier();
  for (var s = first; s < uniforms.stepEnd; s = s + 1) {
    let t = sgTime(s);
    let hBase = current * ${half};
    p = pNext;
    if (s + 1 < uniforms.stepEnd) {
      for (var f = 0; f < ${rows}; f = f + 1) {
        pNext[f] = sgLoadP(lid + f * ${threads}, sgTime(s + 1), b0);
      }
    }
    ${accumulators}
    ${unlessAllRowsSkip(o, 'b0', 't', accumulate)}
    ${sums}
    ${finishOutputs(o, {
      p: (f) => `p[${f}]`,
      sum: (f) => `sums[${f}]`,
      previous: `state[hBase + r * ${unitQuads} + i / 4][i % 4]`,
      after: `state[(1 - current) * ${half} + r * ${unitQuads} + i / 4][i % 4] = h;`,
    })}
    workgroupBarrier();
    current = 1 - current;
  }
}
`;
}
