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
 * first half before step s + 1 writes it again). P comes a chunk of steps at a time (see chunkLoad).
 */
// The shared pieces, by kind: the options and indexing, the set-up blocks, the finishing.
import type {RecurrenceShaderOptions} from './common.js';
import {initialStateIndex, range, resultIndex, wordOfU} from './common.js';
import {recurrenceHeader, unlessAllRowsSkip} from './common.js';
import {finishOutputs} from './common.js';

/** Accumulators per row: two chains of fma over alternate words of U. */
const CHAINS = 2;
/** P loads an invocation issues together when it fills its chunk. */
const LOADS_IN_FLIGHT = 8;

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

  // P of the next `chunk` steps for the invocation's outputs into its own slots of pChunk (so no
  // barrier guards them), LOADS_IN_FLIGHT loads issued together: a step's barrier waits for the loads
  // in flight, so P fetched a step ahead put one memory latency into every step, and this puts one
  // into every LOADS_IN_FLIGHT steps. Straight-line loads at clamped indices, zeroed by select where
  // the element is past the batch or the units (branches here made SwiftShader's compile times
  // explode); steps past the dispatch read its last step's P, never used.
  const chunk = plan.chunkSteps;
  // The most loads in flight that divide the chunk, so no load reaches past it.
  const inFlight = range(LOADS_IN_FLIGHT)
    .map((k) => LOADS_IN_FLIGHT - k)
    .find((d) => chunk % d === 0)!;
  const tile = unitQuads * 4;
  const chunkLoad = range(rows)
    .map((f) => {
      const loads = range(inFlight);
      return `{
        let e = lid + ${f * threads};
        let b = b0 + e / ${tile};
        let ok = e < ${rows * tile} && i < ${units} && b < uniforms.batch;
        let bc = min(b, uniforms.batch - 1);
        let ic = min(i, ${units - 1});
        for (var k0 = 0; k0 < ${chunk}; k0 = k0 + ${inFlight}) {
          ${loads
            .map(
              (k) =>
                `let v${k} = result[${resultIndex(o, 'bc', `sgTime(min(s + k0 + ${k}, uniforms.stepEnd - 1))`, 'ic')}];`,
            )
            .join('\n          ')}
          ${loads
            .map((k) => `pChunk[((k0 + ${k}) * ${rows} + ${f}) * ${threads} + lid] = select(0.0, v${k}, ok);`)
            .join('\n          ')}
        }
      }`;
    })
    .join('\n      ');

  const extra = `var<workgroup> state : array<vec4<f32>, ${2 * half}>;
var<workgroup> pChunk : array<f32, ${chunk * rows * threads}>;
// U[i][j]: component i % 4 of input j's word for quad i / 4 (0 past the units).
fn sgU(j : i32, i : i32) -> f32 {
  if (j >= ${units} || i >= ${units}) {
    return 0.0;
  }
  return ${wordOfU(o, 'j', 'i / 4')}[i % 4];
}
`;

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
  var sums : array<f32, ${rows}>;
  workgroupBarrier();
  for (var s = first; s < uniforms.stepEnd; s = s + 1) {
    let t = sgTime(s);
    let hBase = current * ${half};
    let c = (s - first) % ${chunk};
    if (c == 0) {
      ${chunkLoad}
    }
    ${accumulators}
    ${unlessAllRowsSkip(o, 'b0', 't', accumulate)}
    ${sums}
    ${finishOutputs(o, {
      p: (f) => `pChunk[(c * ${rows} + ${f}) * ${threads} + lid]`,
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
