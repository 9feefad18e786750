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
import {heapIndex, heapViews} from './heap.js';
import {NEURON_CODES} from './recurrence_binary.js';
import {FUSED_K_BLOCK, FUSED_M_BLOCK} from './tuning.js';
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
  floats: number;
}

function layoutFor(
  batch: number,
  time: number,
  inChannels: number,
  cols: number,
  projected: boolean,
): Layout {
  let next = 0;
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
  return {wT, uT, bias, x, p, h0, out, floats: next};
}

/** The kernel's arguments, as tfjs passes them. */
export interface WasmKernelArgs {
  inputs: SingleGateRNNInputs;
  backend: BackendWasm;
  attrs: SingleGateRNNAttrs;
}

/** Runs the call into `output` and `finalState` (already allocated on the backend's heap). */
export function fusedRecurrence(module: FusedModule, args: WasmKernelArgs, results: TensorInfo[]): void {
  const {inputs, backend, attrs} = args;
  const [output, finalState] = results;
  const [batch, time] = inputs.x.shape;
  const inChannels = attrs.inputFeatureChannels;
  const units = attrs.outputFeatureChannels;
  const cols = Math.ceil(units / 4) * 4;
  const unit = attrs.useLayerInputUnitTransformMode;
  const projected = !unit && inputs.inputWeights != null;
  const float16 = !attrs.useFloat32Weights;
  const at = layoutFor(batch, time, inChannels, cols, projected);
  const {f32} = fusedViews(module, at.floats * 4);
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
  const recurrent = inputs.recurrentWeights != null;
  if (recurrent) f32.set(weights(inputs.recurrentWeights!, units), at.uT);
  if (inputs.biasTerms)
    f32.set(heap.f32.subarray(from(inputs.biasTerms), from(inputs.biasTerms) + units), at.bias);
  if (inputs.initialState) {
    const h = from(inputs.initialState);
    for (let n = 0; n < batch; n++)
      f32.set(heap.f32.subarray(h + n * units, h + (n + 1) * units), at.h0 + n * cols);
  }

  // 2. The addend of every step: P rows (stride cols), or the bias alone (stride 0).
  const code = NEURON_CODES[attrs.neuronType] ?? 0;
  const g = NEURON_CODES[attrs.neuronType] == null ? neuronFunction(neuronOf(attrs)) : null;
  const gemm = blockedGemm(module);
  let addend = at.bias;
  let addendRowStride = 0;
  if (projected) {
    const operands = {a: at.x, aStride: inChannels, b: at.wT, c: at.p, cStride: cols, d: at.bias, dStride: 0};
    gemm(operands, {m: batch * time, k: inChannels, n: cols}, 0, attrs);
    addend = at.p;
    addendRowStride = cols;
  } else if (unit) {
    const xFrom = from(inputs.x);
    for (let r = 0; r < batch * time; r++) {
      for (let i = 0; i < units; i++)
        f32[at.p + r * cols + i] = heap.f32[xFrom + r * units + i] + f32[at.bias + i];
    }
    addend = at.p;
    addendRowStride = cols;
  }

  // 3. The steps. Row n of step t lies at out + (n * time + t) * cols.
  const backward = attrs.layerSequenceDirection === 'backward';
  const mask = inputs.mask ? heapIndex(backend, inputs.mask, 1) : -1;
  const stepStride = time * cols;
  let prev = at.h0;
  let prevStride = cols;
  for (let step = 0; step < time; step++) {
    const t = backward ? time - 1 - step : step;
    const row = at.out + t * cols;
    const d = addend + t * addendRowStride;
    const dStride = addendRowStride === 0 ? 0 : stepStride;
    const operands = {a: prev, aStride: prevStride, b: at.uT, c: row, cStride: stepStride, d, dStride};
    gemm(operands, {m: batch, k: recurrent ? units : 0, n: cols}, code, attrs);
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

  // 4. Results out, without the padding.
  const out = from(output);
  if (cols === units) {
    heap.f32.set(f32.subarray(at.out, at.out + batch * time * units), out);
  } else {
    for (let r = 0; r < batch * time; r++) {
      heap.f32.set(f32.subarray(at.out + r * cols, at.out + r * cols + units), out + r * units);
    }
  }
  const final = from(finalState);
  for (let n = 0; n < batch; n++) {
    const last = prev + n * prevStride;
    heap.f32.set(f32.subarray(last, last + units), final + n * units);
  }
}

function neuronOf(attrs: SingleGateRNNAttrs): Parameters<typeof neuronFunction>[0] {
  return {type: attrs.neuronType, a: attrs.neuronA, b: attrs.neuronB, c: attrs.neuronC};
}

/**
 * Where blockedGemm's C = A B + D lie, in floats of the module's memory: A's rows from `a`, B as the
 * module lays it out from `b`, D's and C's rows from `d` and `c`; a stride is the floats from one row
 * to the next (D's may be 0: one row for all).
 */
type Operands = Record<'a' | 'aStride' | 'b' | 'c' | 'cStride' | 'd' | 'dStride', number>;
/** A [m, k], B [k, n], C and D [m, n]. */
type Dims = Record<'m' | 'k' | 'n', number>;

/**
 * The module's gemm with float offsets and strides, cut into blocks of FUSED_K_BLOCK along k and
 * FUSED_M_BLOCK along m (tuning.ts): every k block but the first adds to C, only the last applies
 * the neuron.
 */
function blockedGemm(module: FusedModule) {
  return (operands: Operands, dims: Dims, code: number, attrs: SingleGateRNNAttrs): void => {
    const {a, aStride, b, c, cStride, d, dStride} = operands;
    const {m, k, n} = dims;
    for (let i = 0; i < m; i += FUSED_M_BLOCK) {
      const rows = Math.min(FUSED_M_BLOCK, m - i);
      const aRows = a + i * aStride;
      const cRows = c + i * cStride;
      let dRows = d + i * dStride;
      let dRowStride = dStride;
      let k0 = 0;
      do {
        const depth = Math.min(FUSED_K_BLOCK, k - k0);
        const last = k0 + depth >= k;
        module.gemm(
          4 * (aRows + k0),
          4 * aStride,
          4 * b,
          k,
          k0,
          4 * cRows,
          4 * cStride,
          4 * dRows,
          4 * dRowStride,
          rows,
          depth,
          n,
          last ? code : 0,
          attrs.neuronA,
          attrs.neuronB,
        );
        dRows = cRows;
        dRowStride = cStride;
        k0 += depth;
      } while (k0 < k);
    }
  };
}
