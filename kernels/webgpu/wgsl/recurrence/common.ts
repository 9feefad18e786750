/**
 * What the recurrence strategies share. The recurrence is h_t = g(P_t + U h_{t-1}), where P (the input
 * projection plus bias) already sits in the output buffer `result` and is overwritten by h in place.
 *
 * Work split (see strategy.ts for the plan): a workgroup owns `rows` batch rows and `quads` groups of
 * four units. Invocation (q, k) accumulates, for its four units and every owned row, the part of U h
 * over inputs j in segment k (of `splits` segments), reading U as one word per j from the transposed,
 * quad-grouped layout (recurrent_weights_layout.ts). Partial sums go to workgroup memory; after a
 * barrier each output element is finished by one invocation, which adds the `splits` partials and P,
 * applies g and stores h.
 *
 * A masked step (mask false; bool buffers hold i32) skips g: its output is h_{t-1}, which carries over
 * to the next step. Where every row of a workgroup skips step t (rows past their sequence length), the
 * workgroup also skips U h for it (sgAnyRowLive): outside the barriers, so control flow stays uniform
 * where WGSL needs it.
 *
 * Bidirectional (both directions in the same dispatches): the grid's z is the direction (0 forward,
 * 1 backward, walking time in reverse); each row of `result` and `initialState` holds the forward
 * units then the backward ones, and U holds the forward layout then the backward one. A workgroup
 * touches one direction only, so everything above holds per direction unchanged.
 */
import type {NeuronType} from '../../../../src/contracts/descriptor.js';
import type {RecurrencePlan} from '../../strategy.js';
import {neuronWgsl} from '../neuron.js';

export interface RecurrenceShaderOptions {
  plan: RecurrencePlan;
  float16: boolean;
  hasInitialState: boolean;
  /** A [batch, time] mask input: where 0, the step is skipped and h_{t-1} carries over. */
  hasMask: boolean;
  neuron: NeuronType;
  /** Both directions at once, the direction from workgroupId.z (see the top of this file). */
  bidirectional?: boolean;
}

/** The WGSL expression of this workgroup's direction: 0 forward, 1 backward. */
const direction = 'i32(workgroupId.z)';

/** Floats per (row, step) of `result` and per row of `initialState`: both directions' units when bidirectional. */
function rowStride(o: RecurrenceShaderOptions): number {
  return o.bidirectional ? 2 * o.plan.units : o.plan.units;
}

/** The flat index of unit `i` of batch row `b` at time `t` in `result`. */
export function resultIndex(o: RecurrenceShaderOptions, b: string, t: string, i: string): string {
  const offset = o.bidirectional ? `${direction} * ${o.plan.units} + ` : '';
  return `(${b} * uniforms.time + ${t}) * ${rowStride(o)} + ${offset}${i}`;
}

/** The flat index of unit `i` of batch row `b` in `initialState`. */
export function initialStateIndex(o: RecurrenceShaderOptions, b: string, i: string): string {
  const offset = o.bidirectional ? `${direction} * ${o.plan.units} + ` : '';
  return `${b} * ${rowStride(o)} + ${offset}${i}`;
}

export const range = (n: number): number[] => Array.from({length: n}, (_, i) => i);

/** Helpers and workgroup memory every strategy declares; `extra` adds a strategy's own. */
export function recurrenceHeader(o: RecurrenceShaderOptions, extra = ''): string {
  const {plan} = o;
  return `${neuronWgsl(o.neuron)}
${
  o.float16
    ? `fn sgUnpackU(w : vec2<i32>) -> vec4<f32> {
  return vec4<f32>(unpack2x16float(bitcast<u32>(w.x)), unpack2x16float(bitcast<u32>(w.y)));
}`
    : ''
}
fn sgTime(s : i32) -> i32 {
  return select(s, uniforms.time - 1 - s, ${o.bidirectional ? `${direction} != 0` : 'uniforms.backward != 0'});
}
var<workgroup> partials : array<vec4<f32>, ${plan.splits * plan.rows * plan.quads}>;
${extra}
${
  o.hasMask
    ? `// Whether any of the workgroup's rows from b0 consumes step t.
fn sgAnyRowLive(b0 : i32, t : i32) -> bool {
  for (var r = 0; r < ${plan.rows}; r = r + 1) {
    let b = b0 + r;
    if (b < uniforms.batch && mask[b * uniforms.time + t] != 0) {
      return true;
    }
  }
  return false;
}`
    : ''
}
// U h for unit i (of this workgroup's 4 * quads) of row r: the sum of the segments' partials.
fn sgPartialSum(r : i32, i : i32) -> f32 {
  var sum = 0.0;
  for (var k = 0; k < ${plan.splits}; k = k + 1) {
    sum = sum + partials[(k * ${plan.rows} + r) * ${plan.quads} + i / 4][i % 4];
  }
  return sum;
}`;
}

/**
 * The step loop of the strategies that own every unit of their rows (resident, persistent), in chunks:
 * P of `chunkSteps` steps is loaded into workgroup memory with one coalesced pass, each step reads its
 * P there and leaves its h in the same place, and the chunk's h is stored to `result` with one pass at
 * its end. Inside a chunk a step touches no global memory (a barrier may wait for a step's outstanding
 * global loads and stores, which would put their latency into every step). Elements are numbered as
 * finishOutputs numbers them: e = r * tile + unit, chunk[c * rows * tile + e] for step s0 + c.
 * `step` is the body of one step (s, t, c in scope), ending with the barrier that publishes its h.
 */
export function chunkedStepLoop(o: RecurrenceShaderOptions, step: string): string {
  const {plan} = o;
  const tile = plan.quads * 4;
  const owned = plan.rows * tile;
  const elements = `for (var e = lid; e < ${plan.chunkSteps * owned}; e = e + ${plan.threads}) {
      let c = e / ${owned};
      let r = (e % ${owned}) / ${tile};
      let i = e % ${tile};
      let b = b0 + r;
      if (c < n && i < ${plan.units} && b < uniforms.batch) {`;
  return `for (var s0 = uniforms.stepBegin; s0 < uniforms.stepEnd; s0 = s0 + ${plan.chunkSteps}) {
    let n = min(${plan.chunkSteps}, uniforms.stepEnd - s0);
    ${elements}
        chunk[e] = result[${resultIndex(o, 'b', 'sgTime(s0 + c)', 'i')}];
      }
    }
    workgroupBarrier();
    for (var c = 0; c < n; c = c + 1) {
      let s = s0 + c;
      let t = sgTime(s);
      ${step}
    }
    ${elements}
        result[${resultIndex(o, 'b', 'sgTime(s0 + c)', 'i')}] = chunk[e];
      }
    }
    workgroupBarrier();
  }`;
}

/** The chunk of chunkedStepLoop, in workgroup memory. */
export function chunkDeclaration(plan: RecurrencePlan): string {
  return `var<workgroup> chunk : array<f32, ${plan.chunkSteps * plan.rows * plan.quads * 4}>;`;
}

/** The chunk slot of the invocation's f-th element in step c. */
export function chunkSlot(plan: RecurrencePlan, f: string): string {
  return `chunk[c * ${plan.rows * plan.quads * 4} + lid + ${f} * ${plan.threads}]`;
}

/**
 * sgLoadP(e, t, b0): P of the invocation's output element e of step t, for the strategies that own
 * every unit of their rows (elements numbered as finishOutputs numbers them); 0 for elements past the
 * batch or the units.
 */
export function sgLoadPFunction(o: RecurrenceShaderOptions): string {
  const {rows, units} = o.plan;
  const tile = o.plan.quads * 4;
  return `fn sgLoadP(e : i32, t : i32, b0 : i32) -> f32 {
  let r = e / ${tile};
  let i = e % ${tile};
  let b = b0 + r;
  if (e < ${rows * tile} && i < ${units} && b < uniforms.batch) {
    return result[${resultIndex(o, 'b', 't', 'i')}];
  }
  return 0.0;
}`;
}

/** `code` (accumulating U h for step t), skipped where no row of the workgroup from b0 consumes t. */
export function unlessAllRowsSkip(o: RecurrenceShaderOptions, b0: string, t: string, code: string): string {
  return o.hasMask ? `if (sgAnyRowLive(${b0}, ${t})) {\n${code}\n}` : code;
}

/** Word j of quad `q` of U, as vec4<f32>. */
export function wordOfU(o: RecurrenceShaderOptions, j: string, q: string): string {
  const words = o.plan.units * o.plan.unitQuads;
  const offset = o.bidirectional ? `${direction} * ${words} + ` : '';
  const word = `recurrentWeights[${offset}${j} * ${o.plan.unitQuads} + ${q}]`;
  return o.float16 ? `sgUnpackU(${word})` : word;
}

/** Which quad (ql) and segment (k) this invocation accumulates, and the segment's inputs. */
export function invocationPrologue(plan: RecurrencePlan): string {
  return `
  let lid = i32(localIndex);
  let ql = lid % ${plan.quads};
  let k = lid / ${plan.quads};
  let jBegin = k * ${plan.segment};
  let jEnd = min(jBegin + ${plan.segment}, ${plan.units});`;
}

export function zeroAccumulators(plan: RecurrencePlan): string {
  return range(plan.rows)
    .map((r) => `var acc${r} = vec4<f32>(0.0);`)
    .join('\n    ');
}

export function storePartials(plan: RecurrencePlan): string {
  return range(plan.rows)
    .map((r) => `partials[(k * ${plan.rows} + ${r}) * ${plan.quads} + ql] = acc${r};`)
    .join('\n    ');
}

/**
 * The j loop over this invocation's segment, streaming U from memory, with h_{t-1}[row r][j] read by
 * `h(r, j)`. Unrolled by `unroll` with the loads first: a warp then has that many reads of U in flight
 * instead of one, which is what streaming U from L2 every step is bound by. Inputs past the segment's
 * end read U and h at a clamped index and are dropped by zero selects (both, since 0 * inf is NaN).
 */
export function streamedAccumulate(o: RecurrenceShaderOptions, h: (r: number, j: string) => string): string {
  const {plan} = o;
  const unrolled = range(plan.unroll);
  const inSegment = (u: number): string => `j0 + ${u} < jEnd`;
  return `
      if (q < ${plan.unitQuads}) {
        for (var j0 = jBegin; j0 < jEnd; j0 = j0 + ${plan.unroll}) {
          ${unrolled.map((u) => `let j${u} = min(j0 + ${u}, jEnd - 1);`).join('\n          ')}
          ${unrolled
            .map((u) => `let u${u} = select(vec4<f32>(0.0), ${wordOfU(o, `j${u}`, 'q')}, ${inSegment(u)});`)
            .join('\n          ')}
          ${unrolled
            .flatMap((u) =>
              range(plan.rows).map(
                (r) =>
                  `acc${r} = fma(u${u}, vec4<f32>(select(0.0, ${h(r, `j${u}`)}, ${inSegment(u)})), acc${r});`,
              ),
            )
            .join('\n          ')}
        }
      }`;
}

/**
 * Finishes every output element the workgroup owns for step s (time t), after the barrier that
 * publishes the partials: invocation `lid` takes elements lid, lid + threads, ... A loop, not unrolled
 * code, on purpose (see RecurrencePlan.outputsPerInvocation).
 * - `p(f)`: P of the invocation's f-th element; `sum(f)`: its U h where the invocation already holds
 *   it (else the sum of the segments' partials); `previous`: h_{t-1} of row r / batch row b / unit i,
 *   for masked steps; `after`: what else to do with h (e.g. keep it in workgroup memory).
 * Needs `lid`, `q0` (the workgroup's first quad), `b0` (its first row) and `t` in scope.
 */
export function finishOutputs(
  o: RecurrenceShaderOptions,
  parts: {
    p: (f: string) => string;
    sum?: (f: string) => string;
    previous: string;
    after: string;
    /** Where h goes instead of result[at] (the persistent strategies keep a chunk of steps in workgroup memory). */
    store?: (f: string) => string;
  },
): string {
  const {plan} = o;
  const tile = plan.quads * 4;
  const sum = parts.sum?.('f') ?? 'sgPartialSum(r, col)';
  const g = `sgNeuron(${parts.p('f')} + ${sum})`;
  return `
    for (var f = 0; f < ${plan.outputsPerInvocation}; f = f + 1) {
      let e = lid + f * ${plan.threads};
      let r = e / ${tile};
      let col = e % ${tile};
      let i = q0 * 4 + col;
      let b = b0 + r;
      if (e < ${plan.rows * tile} && i < ${plan.units} && b < uniforms.batch) {
        ${parts.store != null ? '' : `let at = ${resultIndex(o, 'b', 't', 'i')};`}
        ${
          o.hasMask
            ? `var h = ${parts.previous};
        if (mask[b * uniforms.time + t] != 0) {
          h = ${g};
        }`
            : `let h = ${g};`
        }
        ${parts.store != null ? `${parts.store('f')} = h;` : 'result[at] = h;'}
        ${parts.after}
      }
    }`;
}
