/**
 * The fused recurrence on the module of fused_module.ts (WebAssembly SIMD, f32x4), one call:
 * 1. x, the laid-out weights (Wᵀ and Uᵀ, columns padded to a multiple of 4, rounded to float16 unless
 *    useFloat32Weights; laid out once per weights tensor, weights.ts), the bias and the initial state
 *    are copied into the module's memory;
 * 2. P = x Wᵀ + b for all steps is one blocked product (or x + b in unit-transform mode, or b);
 * 3. each step is one product, states_t = g(P_t + states_{t-1} Uᵀ) for the whole batch, written
 *    straight into that step's output rows, which are the next step's states (a masked row copies
 *    the previous state over); the neuron runs in the same loop where the module has it, else in
 *    JavaScript over the step's rows (neuronFunction, as the cpu kernel);
 * 4. the output (without the padding) and the final states are copied to the backend's heap.
 * Sums are float32, in SIMD lanes; the padded columns hold g(0) and are never read as inputs.
 */
import type {BackendWasm} from '@tensorflow/tfjs-backend-wasm';
import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {SingleGateRNNAttrs, SingleGateRNNInputs} from '../../src/contracts/matrix_kernel.js';
import {neuronFunction} from '../cpu/neuron.js';
import type {FusedModule} from './fused_module.js';
import {fusedViews} from './fused_module.js';
import {blockedGemm, type GemmCall} from './blocked_gemm.js';
import {heapIndex, heapViews} from './heap.js';
import {NEURON_CODES} from './recurrence_binary.js';
import {runThreaded, SHARED_BASE, threadPlan} from './threaded_recurrence.js';
import {FUSED_K_BLOCK as K, FUSED_M_BLOCK as M} from './tuning.js';
import {laidOutWeights} from './weights.js';

/** Float offsets in the module's memory of each operand (-1: absent), 16-byte aligned. */
interface Layout {
  wT: number;
  uT: number;
  bias: number;
  x: number;
  p: number;
  h0: number;
  out: number;
  /** A copy of the mask (bytes from 4 * mask), for threads; -1 where not copied. */
  mask: number;
  floats: number;
}

/** The operands from float `base` on (a pool's memory starts with its control block). */
function layoutFor(
  batch: number,
  time: number,
  inChannels: number,
  cols: number,
  projected: boolean,
  base: number,
  maskCopy: boolean,
): Layout {
  let next = base;
  const take = (floats: number): number => {
    const at = next;
    next += Math.ceil(floats / 4) * 4;
    return at;
  };
  const wT = projected ? take(inChannels * cols) : -1;
  const uT = take(cols * cols);
  const bias = take(cols);
  const x = projected ? take(batch * time * inChannels) : -1;
  const p = take(batch * time * cols);
  const h0 = take(batch * cols);
  const out = take(batch * time * cols);
  const mask = maskCopy ? take(Math.ceil((batch * time) / 4)) : -1;
  return {wT, uT, bias, x, p, h0, out, mask, floats: next};
}

/** The kernel's arguments, as tfjs passes them. */
export interface WasmKernelArgs {
  inputs: SingleGateRNNInputs;
  backend: BackendWasm;
  attrs: SingleGateRNNAttrs;
}

/**
 * Runs the call into `output` and `finalState` (already allocated on the backend's heap): on
 * `single`, or on the thread pool's module where setWasmThreads started one and the call is large
 * enough (threaded_recurrence.ts).
 */
export function fusedRecurrence(single: FusedModule, args: WasmKernelArgs, results: TensorInfo[]): void {
  const {inputs, backend, attrs} = args;
  const [batch, time] = inputs.x.shape;
  const inChannels = attrs.inputFeatureChannels;
  const units = attrs.outputFeatureChannels;
  const cols = Math.ceil(units / 4) * 4;
  const unit = attrs.useLayerInputUnitTransformMode;
  const projected = !unit && inputs.inputWeights != null;
  const float16 = !attrs.useFloat32Weights;
  const recurrent = inputs.recurrentWeights != null;
  const code = NEURON_CODES[attrs.neuronType] ?? 0;
  const g = NEURON_CODES[attrs.neuronType] == null ? neuronFunction(neuronOf(attrs)) : null;
  const uk = recurrent ? units : 0;
  const plan = threadPlan({rows: projected ? batch * time : 0, inChannels, batch, uk, cols}, g == null);
  const module = plan ? plan.pool.module : single;
  const maskCopy = plan != null && inputs.mask != null;
  const at = layoutFor(batch, time, inChannels, cols, projected, plan ? SHARED_BASE : 0, maskCopy);
  const {f32, u8} = fusedViews(module, at.floats * 4);
  const heap = heapViews(backend);
  const from = (tensor: TensorInfo): number => heapIndex(backend, tensor, 4);

  // 1. Operands in. The bias and initial states are cleared first (their padding must read as 0);
  // every other region is written whole.
  f32.fill(0, at.bias, at.bias + cols);
  f32.fill(0, at.h0, at.h0 + batch * cols);
  const weights = (tensor: TensorInfo, columns: number): Float32Array =>
    laidOutWeights(tensor.dataId, heap.f32, from(tensor), units, columns, cols, float16);
  if (projected) {
    f32.set(weights(inputs.inputWeights!, inChannels), at.wT);
    const xFrom = from(inputs.x);
    f32.set(heap.f32.subarray(xFrom, xFrom + batch * time * inChannels), at.x);
  }
  if (recurrent) f32.set(weights(inputs.recurrentWeights!, units), at.uT);
  if (inputs.biasTerms)
    f32.set(heap.f32.subarray(from(inputs.biasTerms), from(inputs.biasTerms) + units), at.bias);
  if (inputs.initialState) {
    const h = from(inputs.initialState);
    for (let n = 0; n < batch; n++)
      f32.set(heap.f32.subarray(h + n * units, h + (n + 1) * units), at.h0 + n * cols);
  }
  const mask = inputs.mask ? heapIndex(backend, inputs.mask, 1) : -1;
  if (maskCopy) u8.set(heap.u8.subarray(mask, mask + batch * time), 4 * at.mask);

  // 2. The addend of every step: P rows (stride cols), or the bias alone (stride 0). P in unit-transform
  // mode is x + b, here; with W, the gemm below (or the threads' job).
  const {neuronA: na, neuronB: nb} = attrs;
  const addend = projected || unit ? at.p : at.bias;
  const addendRowStride = projected || unit ? cols : 0;
  if (unit) {
    const xFrom = from(inputs.x);
    for (let r = 0; r < batch * time; r++) {
      for (let i = 0; i < units; i++)
        f32[at.p + r * cols + i] = heap.f32[xFrom + r * units + i] + f32[at.bias + i];
    }
  }
  const backward = attrs.layerSequenceDirection === 'backward';
  const stepStride = time * cols;
  // The last step's rows (or the initial states for an empty sequence) hold the final states.
  const last = time === 0 ? at.h0 : at.out + (backward ? 0 : time - 1) * cols;
  const lastStride = time === 0 ? cols : stepStride;
  if (plan) {
    runThreaded(plan, {
      ...{mBlock: M, kBlock: K, pa: at.x, pb: at.wT, pc: at.p, pd: at.bias},
      ...{pm: projected ? batch * time : 0, pk: inChannels, time, batch, backward: backward ? 1 : 0},
      ...{h0: at.h0, uT: at.uT, out: at.out, addend, addendStride: addendRowStride, uk, cols, code},
      ...{na, nb, mask: maskCopy ? 4 * at.mask : -1},
    });
    copyOut(f32, heap.f32, {from: at.out, last, lastStride}, results.map(from), {batch, time, units, cols});
    return;
  }
  if (projected) {
    const call = {a: at.x, aStride: inChannels, b: at.wT, c: at.p, cStride: cols, d: at.bias, dStride: 0};
    blockedGemm(module.gemm, {...call, m: batch * time, k: inChannels, n: cols, code: 0, na, nb}, M, K);
  }

  // 3. The steps. Row n of step t lies at out + (n * time + t) * cols. The same loop as a thread's
  // share (thread_share.ts' runShare), kept apart on one thread: the share's job object and barrier
  // set-up cost about 10 µs a call, measured at (1,20,16,32): 0.061 against 0.050 ms, 0.77-0.82x
  // ORT-web against 0.69-0.72x.
  let prev = at.h0;
  let prevStride = cols;
  for (let step = 0; step < time; step++) {
    const t = backward ? time - 1 - step : step;
    const row = at.out + t * cols;
    const d = addend + t * addendRowStride;
    const dStride = addendRowStride === 0 ? 0 : stepStride;
    // One literal (no spread): this runs once a step, and V8 copies spread objects slowly.
    const call: GemmCall = {
      a: prev,
      aStride: prevStride,
      b: at.uT,
      c: row,
      cStride: stepStride,
      d,
      dStride,
      m: batch,
      k: uk,
      n: cols,
      code,
      na,
      nb,
    };
    blockedGemm(module.gemm, call, M, K);
    if (g) {
      for (let n = 0; n < batch; n++) {
        const r = row + n * stepStride;
        for (let i = 0; i < units; i++) f32[r + i] = g(f32[r + i]);
      }
    }
    if (mask >= 0) {
      for (let n = 0; n < batch; n++) {
        if (heap.u8[mask + n * time + t] !== 0) continue;
        const source = prev + n * prevStride;
        f32.copyWithin(row + n * stepStride, source, source + cols);
      }
    }
    prev = row;
    prevStride = stepStride;
  }

  // 4. Results out.
  copyOut(f32, heap.f32, {from: at.out, last, lastStride}, results.map(from), {batch, time, units, cols});
}

/**
 * The output (all steps' rows from `from`, without the padding) and the final states (rows from
 * `last`, `lastStride` apart) into the heap at [output, finalState].
 */
function copyOut(
  f32: Float32Array,
  heap: Float32Array,
  rows: {from: number; last: number; lastStride: number},
  [out, final]: number[],
  sizes: {batch: number; time: number; units: number; cols: number},
): void {
  const {batch, time, units, cols} = sizes;
  if (cols === units) {
    heap.set(f32.subarray(rows.from, rows.from + batch * time * units), out);
  } else {
    for (let r = 0; r < batch * time; r++) {
      heap.set(f32.subarray(rows.from + r * cols, rows.from + r * cols + units), out + r * units);
    }
  }
  for (let n = 0; n < batch; n++) {
    const row = rows.last + n * rows.lastStride;
    heap.set(f32.subarray(row, row + units), final + n * units);
  }
}

function neuronOf(attrs: SingleGateRNNAttrs): Parameters<typeof neuronFunction>[0] {
  return {type: attrs.neuronType, a: attrs.neuronA, b: attrs.neuronB, c: attrs.neuronC};
}
