/**
 * The recurrence h_t = g(P_t + U h_{t-1}), where P (the input projection plus bias) already sits in the
 * output buffer `result` and is overwritten by h in place.
 *
 * Work split, shared by both strategies: a workgroup owns `rows` batch rows and `quads` groups of four
 * units. Invocation (q, k) accumulates, for its four units and every owned row, the part of U h over
 * inputs j in segment k (of `splits` segments), reading U as one 16-byte / 8-byte word per j from the
 * transposed, quad-grouped layout (see recurrent_weights.ts). Partial sums go to workgroup memory;
 * after a barrier each output element is finished by one invocation, which adds the `splits` partials
 * and P, applies g and stores h.
 *
 * - persistent: the workgroup owns every unit of its rows and loops over a range of steps inside one
 *   dispatch, keeping h in workgroup memory (double-buffered, so one step reads one half while the
 *   finishing invocations write the other). Barrier 1 publishes the partials; barrier 2 publishes the
 *   new h and frees the partials for the next step. No other workgroup reads these rows, so no
 *   cross-workgroup synchronization is needed. Steps are cut into several dispatches (state carried in
 *   `result`) to keep any one dispatch short enough for GPU watchdogs. A step is latency-bound, so
 *   each invocation loads its slice of U into registers once, before the loop (when the slice is
 *   small: see REGISTER_SEGMENT_MAX), and reads the step's P before its dot products.
 * - sliced: the workgroup owns a slice of units for a tile of rows and runs one step per dispatch,
 *   reading h_{t-1} from `result` (or the initial state), which the previous dispatch wrote; the
 *   backend's dispatch boundaries order the steps. Used when U is too large to stream through one
 *   workgroup every step: here every workgroup reads only its slice of U.
 * - elementwise: U is absent, so steps are independent: h = g(P), one invocation per element. With a
 *   mask a skipped step repeats the previous state, so each invocation then owns one (row, unit) and
 *   walks its steps in order.
 *
 * A masked step (mask false; bool buffers hold i32) skips g: its output is h_{t-1}, which carries over to the next step.
 */
import type {NeuronType} from '../../../src/descriptor.js';
import {FLOAT16_WGSL} from './float16.js';
import {neuronWgsl} from './neuron.js';
import {REGISTER_SEGMENT_MAX, UNROLL} from '../tuning.js';

export interface RecurrenceShaderOptions {
  strategy: 'persistent' | 'sliced';
  units: number;
  /** Quads (groups of four units) a workgroup owns; all of them when persistent. */
  quads: number;
  /** Segments the input dimension of U h is split into, one invocation each. */
  splits: number;
  /** Batch rows a workgroup owns. */
  rows: number;
  float16: boolean;
  hasInitialState: boolean;
  /** A [batch, time] mask input: where 0, the step is skipped and h_{t-1} carries over. */
  hasMask: boolean;
  neuron: NeuronType;
}

const range = (n: number): number[] => Array.from({length: n}, (_, i) => i);

export function recurrenceWgsl(o: RecurrenceShaderOptions): string {
  const units = o.units;
  const unitQuads = Math.ceil(units / 4);
  const threads = o.quads * o.splits;
  const segment = Math.ceil(units / o.splits);
  const rows = range(o.rows);
  const persistent = o.strategy === 'persistent';

  // One word of U for input j: 16 bytes (float32) or 8 bytes of packed halves.
  const wordOfU = (j: string): string =>
    o.float16
      ? `sgUnpackU(recurrentWeights[${j} * ${unitQuads} + q])`
      : `recurrentWeights[${j} * ${unitQuads} + q]`;
  // The j loop over this invocation's segment, with h_{t-1}[row r][j] read through `h(r)`. Unrolled by
  // UNROLL with the loads first: a warp then has that many reads of U in flight instead of one, which
  // is what streaming U from L2 every step is bound by. Inputs past the segment's end read U and h at
  // a clamped index and are dropped by zero selects (both, since 0 * inf would be NaN).
  const unrolled = range(UNROLL);
  const accumulate = (h: (r: number) => string): string => `
      if (q < ${unitQuads}) {
        for (var j0 = jBegin; j0 < jEnd; j0 = j0 + ${UNROLL}) {
          ${unrolled.map((k) => `let j${k} = min(j0 + ${k}, jEnd - 1);`).join('\n          ')}
          ${unrolled.map((k) => `let u${k} = select(vec4<f32>(0.0), ${wordOfU(`j${k}`)}, j0 + ${k} < jEnd);`).join('\n          ')}
          ${unrolled
            .map((k) =>
              rows
                .map(
                  (r) =>
                    `acc${r} = fma(u${k}, vec4<f32>(select(0.0, ${h(r).replace(/\bj\b/g, `j${k}`)}, j0 + ${k} < jEnd)), acc${r});`,
                )
                .join('\n          '),
            )
            .join('\n          ')}
        }
      }`;
  const rowIndex = (r: number): string => `min(b0 + ${r}, uniforms.batch - 1)`;
  const initial = (r: number): string =>
    o.hasInitialState ? `initialState[${rowIndex(r)} * ${units} + j]` : '0.0';

  const header = `${FLOAT16_WGSL}
${neuronWgsl(o.neuron)}
${
  o.float16
    ? `fn sgUnpackU(w : vec2<i32>) -> vec4<f32> {
  return vec4<f32>(unpack2x16float(bitcast<u32>(w.x)), unpack2x16float(bitcast<u32>(w.y)));
}`
    : ''
}
fn sgTime(s : i32) -> i32 {
  return select(s, uniforms.time - 1 - s, uniforms.backward != 0);
}
var<workgroup> partials : array<vec4<f32>, ${o.splits * o.rows * o.quads}>;
${persistent ? `var<workgroup> state : array<f32, ${2 * o.rows * units}>;` : ''}`;

  // Finishes every owned output element of step s (time t): partials + P -> g -> h, or, where the
  // mask skips the step, h_{t-1} as `previous` reads it for row r / batch row b / unit i.
  const finish = (stateWrite: string, previous: string): string => `
    for (var e = lid; e < ${o.rows * o.quads * 4}; e = e + ${threads}) {
      let r = e / ${o.quads * 4};
      let o = e % ${o.quads * 4};
      let i = q0 * 4 + o;
      let b = b0 + r;
      if (i < ${units} && b < uniforms.batch) {
        var sum = 0.0;
        for (var kk = 0; kk < ${o.splits}; kk = kk + 1) {
          sum = sum + partials[(kk * ${o.rows} + r) * ${o.quads} + o / 4][o % 4];
        }
        let at = (b * uniforms.time + t) * ${units} + i;
        ${
          o.hasMask
            ? `var h = ${previous};
        if (mask[b * uniforms.time + t] != 0) {
          h = sgNeuron(result[at] + sum);
        }`
            : 'let h = sgNeuron(result[at] + sum);'
        }
        result[at] = h;
        ${stateWrite}
      }
    }`;
  const storePartials = rows
    .map((r) => `partials[(k * ${o.rows} + ${r}) * ${o.quads} + ql] = acc${r};`)
    .join('\n    ');
  const zeroAcc = rows.map((r) => `var acc${r} = vec4<f32>(0.0);`).join('\n    ');
  const prologue = `
  let lid = i32(localIndex);
  let ql = lid % ${o.quads};
  let k = lid / ${o.quads};
  let jBegin = k * ${segment};
  let jEnd = min(jBegin + ${segment}, ${units});`;

  if (persistent) {
    // U stays in registers across the step loop when the invocation's slice is small enough; larger
    // slices are re-read from memory (L2) every step.
    const registerU = segment <= REGISTER_SEGMENT_MAX;
    const js = range(segment);
    const quadUnits = o.quads * 4;
    // Output elements each invocation finishes per step (usually one).
    const perThread = range(Math.ceil((o.rows * quadUnits) / threads));
    const loadURegisters = registerU
      ? js.map((jj) => `let u${jj} = sgLoadU(jBegin + ${jj}, q);`).join('\n  ')
      : '';
    // Inputs past `units` (in the last segment) have zero weights; their state reads are clamped into
    // bounds and zeroed too, since 0 * inf would be NaN.
    const hPadded = (r: number, jj: number): string =>
      o.splits * segment > units
        ? `select(0.0, state[hBase + ${r * units} + min(jBegin + ${jj}, ${units - 1})], jBegin + ${jj} < ${units})`
        : `state[hBase + ${r * units} + jBegin + ${jj}]`;
    const accumulateStep = registerU
      ? rows
          .map((r) =>
            js.map((jj) => `acc${r} = fma(u${jj}, vec4<f32>(${hPadded(r, jj)}), acc${r});`).join('\n    '),
          )
          .join('\n    ')
      : accumulate((r) => `state[hBase + ${r * units} + j]`);
    const finishStep = perThread
      .map(
        (f) => `
    {
      let e = lid + ${f * threads};
      let r = e / ${quadUnits};
      let i = e % ${quadUnits};
      let b = b0 + r;
      if (e < ${o.rows * quadUnits} && i < ${units} && b < uniforms.batch) {
        var sum = 0.0;
        for (var kk = 0; kk < ${o.splits}; kk = kk + 1) {
          sum = sum + partials[(kk * ${o.rows} + r) * ${o.quads} + i / 4][i % 4];
        }
        ${
          o.hasMask
            ? `var h = state[hBase + r * ${units} + i];
        if (mask[b * uniforms.time + t] != 0) {
          h = sgNeuron(p${f} + sum);
        }`
            : `let h = sgNeuron(p${f} + sum);`
        }
        result[(b * uniforms.time + t) * ${units} + i] = h;
        state[(1 - current) * ${o.rows * units} + r * ${units} + i] = h;
      }
    }`,
      )
      .join('');
    return `${header}
${
  registerU
    ? `fn sgLoadU(j : i32, q : i32) -> vec4<f32> {
  if (j >= ${units}) {
    return vec4<f32>(0.0);
  }
  ${
    o.float16
      ? `let w = recurrentWeights[j * ${unitQuads} + q];
  return vec4<f32>(unpack2x16float(bitcast<u32>(w.x)), unpack2x16float(bitcast<u32>(w.y)));`
      : `return recurrentWeights[j * ${unitQuads} + q];`
  }
}`
    : ''
}
// P (the projection) of output element e of step t, read before the step's dot products so its
// memory latency overlaps them.
fn sgLoadP(e : i32, t : i32, b0 : i32) -> f32 {
  let r = e / ${quadUnits};
  let i = e % ${quadUnits};
  let b = b0 + r;
  if (e < ${o.rows * quadUnits} && i < ${units} && b < uniforms.batch) {
    return result[(b * uniforms.time + t) * ${units} + i];
  }
  return 0.0;
}
fn main(index : i32) {
  ${prologue}
  let q = ql;
  let b0 = i32(workgroupId.x) * ${o.rows};
  let first = uniforms.stepBegin;
  ${loadURegisters}
  // h before the first step of this dispatch: the initial state, or what the previous dispatch wrote.
  for (var e = lid; e < ${o.rows * units}; e = e + ${threads}) {
    let r = e / ${units};
    let j = e % ${units};
    let b = min(b0 + r, uniforms.batch - 1);
    var v = 0.0;
    if (first > 0) {
      v = result[(b * uniforms.time + sgTime(first - 1)) * ${units} + j];
    } ${o.hasInitialState ? `else {\n      v = initialState[b * ${units} + j];\n    }` : ''}
    state[e] = v;
  }
  workgroupBarrier();
  var current = 0;
  for (var s = first; s < uniforms.stepEnd; s = s + 1) {
    let t = sgTime(s);
    let hBase = current * ${o.rows * units};
    ${perThread.map((f) => `let p${f} = sgLoadP(lid + ${f * threads}, t, b0);`).join('\n    ')}
    ${zeroAcc}
    ${accumulateStep}
    ${storePartials}
    workgroupBarrier();
    ${finishStep}
    workgroupBarrier();
    current = 1 - current;
  }
}
`;
  }

  return `${header}
fn main(index : i32) {
  ${prologue}
  let q0 = i32(workgroupId.x) * ${o.quads};
  let q = q0 + ql;
  let b0 = i32(workgroupId.y) * ${o.rows};
  let s = uniforms.stepBegin;
  let t = sgTime(s);
  ${zeroAcc}
  if (s > 0) {
    let tPrev = sgTime(s - 1);
    ${rows.map((r) => `let prev${r} = (${rowIndex(r)} * uniforms.time + tPrev) * ${units};`).join('\n    ')}
    ${accumulate((r) => `result[prev${r} + j]`)}
  } ${o.hasInitialState ? `else {${accumulate(initial)}\n  }` : ''}
  ${storePartials}
  workgroupBarrier();
  ${finish('', 'sgPrevious(b, i, s)')}
}
${
  o.hasMask
    ? `
fn sgPrevious(b : i32, i : i32, s : i32) -> f32 {
  if (s > 0) {
    return result[(b * uniforms.time + sgTime(s - 1)) * ${units} + i];
  }
  return ${o.hasInitialState ? `initialState[b * ${units} + i]` : '0.0'};
}`
    : ''
}
`;
}

/**
 * The recurrence without U. Unmasked: h = g(P) for every element at once. Masked: one invocation per
 * (batch row, unit) walks the steps in order, so a skipped step can repeat the state before it.
 */
export function elementwiseRecurrenceWgsl(o: {
  neuron: NeuronType;
  hasMask: boolean;
  hasInitialState: boolean;
  units: number;
}): string {
  if (!o.hasMask) {
    return `${neuronWgsl(o.neuron)}
fn main(index : i32) {
  if (index < uniforms.total) {
    result[index] = sgNeuron(result[index]);
  }
}
`;
  }
  return `${neuronWgsl(o.neuron)}
fn main(index : i32) {
  if (index >= uniforms.batch * ${o.units}) {
    return;
  }
  let b = index / ${o.units};
  let i = index % ${o.units};
  var h = ${o.hasInitialState ? 'initialState[index]' : '0.0'};
  for (var s = 0; s < uniforms.time; s = s + 1) {
    let t = select(s, uniforms.time - 1 - s, uniforms.backward != 0);
    let at = (b * uniforms.time + t) * ${o.units} + i;
    if (mask[b * uniforms.time + t] != 0) {
      h = sgNeuron(result[at]);
    }
    result[at] = h;
  }
}
`;
}
