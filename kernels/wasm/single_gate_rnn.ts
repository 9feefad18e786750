/**
 * The wasm kernel. By default the fused SIMD recurrence of fused_recurrence.ts (one module of our own,
 * built from scripts/wasm/recurrence_wat.js) runs the whole call. Where the runtime cannot compile that
 * module (no WebAssembly SIMD), or WASM_FUSED_FLAG is off, the fallback below runs, on the wasm
 * backend's own heap:
 * 1. the input projection P = x Wᵀ for all steps at once by the backend's own BatchMatMul kernel
 *    (XNNPACK), reading x and W where they lie;
 * 2. the recurrence, per step P + b + U h_{t-1} and the neuron, written straight into the output
 *    tensor's memory. Small steps (batch * units^2 below MATMUL_RECURRENCE_MIN_WORK) run as JavaScript
 *    dot products over the heap views; larger ones take U h for the whole batch from one BatchMatMul
 *    per step.
 * W and U are laid out once per call in heap scratch (transposed for the matMuls, rounded to float16
 * unless useFloat32Weights); scratch and intermediates are freed before returning. Sums are taken in
 * JavaScript numbers (float64) over float32 terms; each state is float32.
 */
import type {BackendWasm} from '@tensorflow/tfjs-backend-wasm';
import {BatchMatMul, env, getKernel} from '@tensorflow/tfjs-core';
import type {KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {SingleGateRNN} from '../../src/contracts/matrix_kernel.js';
import {neuronFunction} from '../cpu/neuron.js';
import {allocate, heapIndex, heapViews, HeapTensors} from './heap.js';
import {fusedRecurrence, type WasmKernelArgs} from './fused_recurrence.js';
import {fusedModule} from './fused_module.js';
import {MATMUL_RECURRENCE_MIN_WORK, WASM_FUSED_FLAG} from './tuning.js';
import {roundToFloat16OnHeap, transposeOnHeap} from './weights.js';

env().registerFlag(WASM_FUSED_FLAG, () => true);

function singleGateRNNWasm(args: WasmKernelArgs): TensorInfo[] {
  const {inputs, backend, attrs} = args;
  const [batch, time] = inputs.x.shape;
  const inChannels = attrs.inputFeatureChannels;
  const units = attrs.outputFeatureChannels;
  const unit = attrs.useLayerInputUnitTransformMode;
  const float16 = !attrs.useFloat32Weights;

  const finalState = allocate(backend, [batch, units], 'finalState');
  let output: TensorInfo;
  try {
    output = allocate(backend, [batch, time, units], 'output');
  } catch (e) {
    backend.disposeData(finalState.dataId, true);
    throw e;
  }
  const module = env().getBool(WASM_FUSED_FLAG) ? fusedModule() : null;
  if (module != null) {
    const results = [output, finalState];
    try {
      fusedRecurrence(module, args, results);
    } catch (e) {
      // A failed call (a worker thread that stopped) must not leave its outputs on the heap.
      for (const r of results) backend.disposeData(r.dataId, true);
      throw e;
    }
    return results;
  }
  const scratch = new HeapTensors(backend);
  try {
    // Both matMuls take their weights as [in, out]: tfjs-backend-wasm multiplies by a transposed
    // operand several times slower (1.9 ms against 0.38 ms for a 512 x 512 U and one row, in Node).
    const w = unit
      ? undefined
      : inputs.inputWeights && transposed(backend, scratch, inputs.inputWeights, float16);
    const byMatMul = batch * units * units >= MATMUL_RECURRENCE_MIN_WORK;
    const u =
      inputs.recurrentWeights &&
      (byMatMul
        ? transposed(backend, scratch, inputs.recurrentWeights, float16)
        : rounded(backend, scratch, inputs.recurrentWeights, float16));
    const zeros = scratch.add(allocate(backend, [units], 'zero state'));
    const projection = w && scratch.add(project(backend, inputs.x, w, batch * time, inChannels));
    // Views are taken after the last allocation: growing the heap detaches the earlier ones.
    const {f32, u8} = heapViews(backend);
    const zeroRow = heapIndex(backend, zeros, 4);
    f32.fill(0, zeroRow, zeroRow + units);

    const loop: Loop = {
      batch,
      time,
      units,
      g: neuronFunction({type: attrs.neuronType, a: attrs.neuronA, b: attrs.neuronB, c: attrs.neuronC}),
      backward: attrs.layerSequenceDirection === 'backward',
      // The term added before U h: P's row, or x's row in unit-transform mode (same length), or none.
      addend: projection ? heapIndex(backend, projection, 4) : unit ? heapIndex(backend, inputs.x, 4) : -1,
      bias: inputs.biasTerms ? heapIndex(backend, inputs.biasTerms, 4) : -1,
      initial: inputs.initialState ? heapIndex(backend, inputs.initialState, 4) : zeroRow,
      initialPerRow: inputs.initialState != null,
      mask: inputs.mask ? heapIndex(backend, inputs.mask, 1) : -1,
      out: heapIndex(backend, output, 4),
      final: heapIndex(backend, finalState, 4),
    };
    if (u && byMatMul) {
      recurrenceByMatMul(backend, scratch, loop, u);
    } else {
      recurrenceByDotProducts(f32, u8, loop, u ? heapIndex(backend, u, 4) : -1);
    }
  } finally {
    scratch.dispose();
  }
  return [output, finalState];
}

/** What both recurrence loops need: sizes, the neuron, and heap indices (-1: absent). */
interface Loop {
  batch: number;
  time: number;
  units: number;
  g: (x: number) => number;
  backward: boolean;
  addend: number;
  bias: number;
  /** The initial state's first row, or the zero row. */
  initial: number;
  /** Whether `initial` has a row per batch row (an initial state), rather than one zero row. */
  initialPerRow: boolean;
  /** Byte index of the bool mask. */
  mask: number;
  out: number;
  final: number;
}

/**
 * The recurrence as dot products over the heap, one batch row after the other. The previous state is
 * the output row of the previous consumed step (or the initial state, or the zero row): no state
 * buffer, and a masked step is one heap copy.
 */
function recurrenceByDotProducts(f32: Float32Array, u8: Uint8Array, loop: Loop, uBase: number): void {
  const {batch, time, units, g, backward, addend, bias, mask, out, final} = loop;
  for (let n = 0; n < batch; n++) {
    // Heap index of the current state h_{t-1}.
    let h = loop.initialPerRow ? loop.initial + n * units : loop.initial;
    for (let step = 0; step < time; step++) {
      const t = backward ? time - 1 - step : step;
      const row = out + (n * time + t) * units;
      if (mask >= 0 && u8[mask + n * time + t] === 0) {
        f32.copyWithin(row, h, h + units);
        h = row;
        continue;
      }
      const add = addend + (n * time + t) * units;
      for (let i = 0; i < units; i++) {
        let acc = bias >= 0 ? f32[bias + i] : 0;
        if (addend >= 0) acc += f32[add + i];
        if (uBase >= 0) acc += dot(f32, uBase + i * units, h, units);
        f32[row + i] = g(acc);
      }
      h = row;
    }
    f32.copyWithin(final + n * units, h, h + units);
  }
}

/**
 * The recurrence with U h_{t-1} for the whole batch as one BatchMatMul per step, on a [batch, units]
 * state kept in heap scratch (the output's rows of one step are not contiguous). The product is freed
 * each step; views are taken again after it, since its allocation may grow the heap.
 */
function recurrenceByMatMul(backend: BackendWasm, scratch: HeapTensors, loop: Loop, uT: TensorInfo): void {
  const {batch, time, units, g, backward, addend, bias, mask, out, final} = loop;
  const state = scratch.add(allocate(backend, [batch, units], 'state'));
  const s = heapIndex(backend, state, 4);
  let f32 = heapViews(backend).f32;
  for (let n = 0; n < batch; n++) {
    const from = loop.initialPerRow ? loop.initial + n * units : loop.initial;
    f32.copyWithin(s + n * units, from, from + units);
  }
  const a: TensorInfo = {dataId: state.dataId, shape: [1, batch, units], dtype: 'float32'};
  const b: TensorInfo = {dataId: uT.dataId, shape: [1, units, units], dtype: 'float32'};
  for (let step = 0; step < time; step++) {
    const t = backward ? time - 1 - step : step;
    const product = matMul(backend, a, b);
    const views = heapViews(backend);
    f32 = views.f32;
    const u8 = views.u8;
    const z = heapIndex(backend, product, 4);
    for (let n = 0; n < batch; n++) {
      const row = out + (n * time + t) * units;
      const h = s + n * units;
      if (mask >= 0 && u8[mask + n * time + t] === 0) {
        f32.copyWithin(row, h, h + units);
        continue;
      }
      const add = addend + (n * time + t) * units;
      const zRow = z + n * units;
      for (let i = 0; i < units; i++) {
        let acc = bias >= 0 ? f32[bias + i] : 0;
        if (addend >= 0) acc += f32[add + i];
        const value = g(acc + f32[zRow + i]);
        f32[row + i] = value;
        f32[h + i] = value;
      }
    }
    backend.disposeData(product.dataId, true);
  }
  f32.copyWithin(final, s, s + batch * units);
}

/** `weights` itself, or (float16) a rounded copy of it in scratch. */
function rounded(
  backend: BackendWasm,
  scratch: HeapTensors,
  weights: TensorInfo,
  float16: boolean,
): TensorInfo {
  if (!float16) return weights;
  const copy = scratch.add(allocate(backend, weights.shape, 'weights (rounded)'));
  const {f32} = heapViews(backend);
  const size = weights.shape.reduce((a, b) => a * b, 1);
  roundToFloat16OnHeap(f32, heapIndex(backend, weights, 4), heapIndex(backend, copy, 4), size);
  return copy;
}

/** `weights` [rows, cols] transposed into scratch as [cols, rows], rounded to float16 if asked. */
function transposed(
  backend: BackendWasm,
  scratch: HeapTensors,
  weights: TensorInfo,
  float16: boolean,
): TensorInfo {
  const [rows, cols] = weights.shape;
  const copy = scratch.add(allocate(backend, [cols, rows], 'weights (transposed)'));
  const {f32} = heapViews(backend);
  transposeOnHeap(f32, heapIndex(backend, weights, 4), heapIndex(backend, copy, 4), rows, cols, float16);
  return copy;
}

/** P = x Wᵀ as [rows, units] by the wasm backend's BatchMatMul kernel, from x in place and Wᵀ. */
function project(
  backend: BackendWasm,
  x: TensorInfo,
  wT: TensorInfo,
  rows: number,
  inChannels: number,
): TensorInfo {
  // The same data seen as one batch of [rows, inChannels]; the kernel only reads it.
  const a: TensorInfo = {dataId: x.dataId, shape: [1, rows, inChannels], dtype: 'float32'};
  const b: TensorInfo = {dataId: wT.dataId, shape: [1, inChannels, wT.shape[1]], dtype: 'float32'};
  return matMul(backend, a, b);
}

/** a b for [1, m, k] a and [1, k, n] b: the wasm backend's own BatchMatMul kernel, on the heap. */
function matMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  const kernel = getKernel(BatchMatMul, 'wasm');
  if (kernel == null) {
    throw new Error('SingleGateRNN on wasm needs the wasm BatchMatMul kernel, which is not registered');
  }
  return kernel.kernelFunc({
    inputs: {a, b},
    backend,
    attrs: {transposeA: false, transposeB: false},
  }) as TensorInfo;
}

/**
 * sum_j a[j] b[j] over `length` heap floats from indices `a` and `b`. Four partial sums let the CPU
 * overlap the multiply-adds instead of waiting on one chain.
 */
function dot(f32: Float32Array, a: number, b: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < length; j += 4) {
    s0 += f32[a + j] * f32[b + j];
    s1 += f32[a + j + 1] * f32[b + j + 1];
    s2 += f32[a + j + 2] * f32[b + j + 2];
    s3 += f32[a + j + 3] * f32[b + j + 3];
  }
  for (; j < length; j++) s0 += f32[a + j] * f32[b + j];
  return s0 + s1 + (s2 + s3);
}

export const singleGateRNNWasmConfig: KernelConfig = {
  kernelName: SingleGateRNN,
  backendName: 'wasm',
  kernelFunc: singleGateRNNWasm as unknown as KernelFunc,
};
