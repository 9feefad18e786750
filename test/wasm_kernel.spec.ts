/**
 * The wasm kernel against the cpu kernel on the random configurations and pinned cases the WebGPU
 * kernel is checked on (cases/webgpu.ts), on both its paths (the fused module, and the fallback with
 * SINGLE_GATE_RNN_WASM_FUSED off), at shapes past the fused path's blocks, and its use of the wasm backend's memory: scratch freed,
 * heap growth during a call survived. The shared specs (describeAllBackends) run on wasm too.
 */
import type {BackendWasm} from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {singleGateRNN} from 'tfjs-single-gate-rnn';
import {heapViews} from '../kernels/wasm/heap.js';
import {FUSED_K_BLOCK, FUSED_M_BLOCK, WASM_FUSED_FLAG} from '../kernels/wasm/tuning.js';
import {describeConfig, PINNED, randomConfig} from './cases/webgpu.js';
import {expectSameAsCpuKernel} from './util/against_cpu.js';
import {backendsWithKernel, useBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {NEURONS} from './util/neurons.js';
import {descriptorOf, makeProblem, ProblemConfig} from './util/problem.js';

/** The CPU is fast enough for more random draws than the GPU specs take. */
const CASES = 80;
/** The fallback path (no SIMD, or the flag off) on fewer: it is the previous kernel, checked before. */
const FALLBACK_CASES = 20;

const WASM = backendsWithKernel().find((b) => b.name === 'wasm');
if (WASM == null) throw new Error('the wasm kernel is not registered: the package must register it');
const wasm = WASM;
const TANH = NEURONS.tanh.usual;

describe('wasm against the cpu kernel, random configurations', () => {
  const configs = [...Array.from({length: CASES}, (_, k) => randomConfig(k + 1)), ...PINNED];
  for (const config of configs) {
    it(describeConfig(config), () => expectSameAsCpuKernel(config, wasm));
  }
});

/**
 * Shapes past the fused path's blocks (kernels/wasm/tuning.ts): both products cut along k (inputs and
 * units over FUSED_K_BLOCK), the projection's rows (batch * time) over FUSED_M_BLOCK, units not a
 * multiple of 4 (padded columns), batches past the 4-row micro-kernel with a remainder.
 */
const PAST_FUSED_BLOCKS: ProblemConfig[] = [
  {
    batch: 6,
    time: Math.ceil((FUSED_M_BLOCK + 5) / 6),
    inputChannels: FUSED_K_BLOCK + 3,
    outputChannels: FUSED_K_BLOCK + 9,
    neuron: TANH,
    initialState: true,
    mask: 'random',
    seed: 201,
  },
  {
    batch: 5,
    time: 7,
    inputChannels: 3,
    outputChannels: FUSED_K_BLOCK + 1,
    neuron: NEURONS.sigmoid.usual,
    float32Weights: true,
    seed: 202,
  },
];

describe('wasm fused path past its blocks', () => {
  for (const config of PAST_FUSED_BLOCKS) {
    it(describeConfig(config), () => expectSameAsCpuKernel(config, wasm));
  }
});

describe(`wasm fallback path (${WASM_FUSED_FLAG} off)`, () => {
  before(() => tf.env().set(WASM_FUSED_FLAG, false));
  after(() => tf.env().set(WASM_FUSED_FLAG, true));
  const configs = [...Array.from({length: FALLBACK_CASES}, (_, k) => randomConfig(k + 1)), ...PINNED];
  for (const config of configs) {
    it(describeConfig(config), () => expectSameAsCpuKernel(config, wasm));
  }
});

describe('wasm kernel memory', () => {
  beforeEach(() => useBackend('wasm'));

  const heapBytes = (): number => heapViews(tf.backend() as BackendWasm).u8.buffer.byteLength;

  it('leaves only its outputs on the backend', async () => {
    const c: ProblemConfig = {batch: 3, time: 9, inputChannels: 5, outputChannels: 7, neuron: TANH, seed: 7};
    const problem = makeProblem({...c, initialState: true, mask: 'random'});
    const x = tf.tensor3d(problem.x, [c.batch, c.time, c.inputChannels]);
    const h0 = tf.tensor2d(problem.initialState!, [c.batch, c.outputChannels]);
    const mask = tf.tensor2d(problem.mask!, [c.batch, c.time], 'bool');
    const descriptor = descriptorOf(problem);
    const inputs = [
      x,
      h0,
      mask,
      descriptor.inputWeights!.weights as tf.Tensor,
      descriptor.inputWeights!.biasTerms as tf.Tensor,
      descriptor.recurrentWeights!.weights as tf.Tensor,
    ];
    const ids = tf.backend().numDataIds();
    const result = singleGateRNN(x, descriptor, {initialState: h0, mask});
    // The kernel's scratch (rounded weights, the projection) is freed: only the two outputs stay.
    expect(tf.backend().numDataIds(), 'data on the backend after the call').to.equal(ids + 2);
    expect(Array.from(await result.finalState.data()).every(Number.isFinite), 'final state finite').to.equal(
      true,
    );
    tf.dispose([result.output, result.finalState, ...inputs]);
    expect(tf.backend().numDataIds(), 'data on the backend after disposing everything').to.equal(
      ids - inputs.length,
    );
  });

  it('is right when its own output grows the heap (views are taken after allocating)', async () => {
    // An output twice the size of the whole heap cannot fit without growing it, whatever earlier specs
    // left allocated. With x = 0, W = 0 and U = I / 2, every unit follows h_t = tanh(b + h_{t-1} / 2),
    // worked out here in float64: the check reads back a few steps, not the whole output.
    const units = 8;
    const time = Math.ceil((2 * heapBytes()) / (4 * units));
    const bias = Array.from({length: units}, (_, i) => (i - 3.5) / 4);
    const initial = Array.from({length: units}, (_, i) => (i % 2 === 0 ? 1 : -1));
    const steps = [0, 1, Math.floor(time / 2), time - 1];
    const expected: number[] = [];
    const h: number[] = [...initial];
    for (let t = 0; t < time; t++) {
      for (let i = 0; i < units; i++) h[i] = Math.tanh(bias[i] + h[i] / 2);
      if (steps.includes(t)) expected.push(...h);
    }

    const x = tf.zeros<tf.Rank.R3>([1, time, 1]);
    const w = tf.zeros<tf.Rank.R2>([units, 1]);
    const b = tf.tensor1d(bias);
    const u = tf.tidy(() => tf.mul<tf.Tensor2D>(tf.eye(units), 0.5));
    const h0 = tf.tensor2d([initial]);
    const heapBefore = heapBytes();
    const {output, finalState} = singleGateRNN(
      x,
      {
        inputFeatureChannels: 1,
        outputFeatureChannels: units,
        useFloat32Weights: true,
        inputWeights: {weights: w, biasTerms: b, neuron: {type: 'tanh'}},
        recurrentWeights: {weights: u},
      },
      {initialState: h0},
    );
    expect(heapBytes(), 'heap bytes after the call').to.be.greaterThan(heapBefore);
    const picked = tf.gather(output, steps, 1);
    expectArraysClose(await picked.data(), expected, wasm.tolerance, {
      what: `output at steps ${steps.join(', ')}`,
    });
    expectArraysClose(await finalState.data(), expected.slice(-units), wasm.tolerance, {what: 'final state'});
    tf.dispose([x, w, b, u, h0, output, finalState, picked]);
  });
});
