/**
 * The wasm kernel against the cpu kernel on the random configurations and pinned cases the WebGPU
 * kernel is checked on (cases/webgpu.ts), and its use of the wasm backend's memory: scratch freed,
 * heap growth during a call survived. The shared specs (describeAllBackends) run on wasm too.
 */
import type {BackendWasm} from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {singleGateRNN} from 'tfjs-single-gate-rnn';
import {heapViews} from '../kernels/wasm/heap.js';
import {describeConfig, PINNED, randomConfig} from './cases/webgpu.js';
import {expectSameAsCpuKernel} from './util/against_cpu.js';
import {backendsWithKernel, useBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {NEURONS} from './util/neurons.js';
import {descriptorOf, makeProblem, ProblemConfig} from './util/problem.js';

/** The CPU is fast enough for more random draws than the GPU specs take. */
const CASES = 80;

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

describe('wasm kernel memory', () => {
  beforeEach(() => useBackend('wasm'));

  const heapBytes = (): number => heapViews(tf.backend() as BackendWasm).u8.buffer.byteLength;

  interface Run {
    output: Float32Array;
    finalState: Float32Array;
    /** Whether the wasm heap grew during the op call itself (false on other backends). */
    heapGrew: boolean;
  }

  /** Runs `config` (mask and initial state required) on the active backend, checking what stays. */
  async function run(config: ProblemConfig): Promise<Run> {
    const onWasm = tf.getBackend() === 'wasm';
    const problem = makeProblem(config);
    const c = config;
    const x = tf.tensor3d(problem.x, [c.batch, c.time, c.inputChannels]);
    const h0 = tf.tensor2d(problem.initialState!, [c.batch, c.outputChannels]);
    const mask = tf.tensor2d(problem.mask!, [c.batch, c.time], 'bool');
    const descriptor = descriptorOf(problem);
    const weights = [descriptor.inputWeights!.weights, descriptor.inputWeights!.biasTerms!];
    const inputs = [
      x,
      h0,
      mask,
      ...(weights as tf.Tensor[]),
      descriptor.recurrentWeights!.weights as tf.Tensor,
    ];
    const ids = tf.backend().numDataIds();
    const heapBefore = onWasm ? heapBytes() : 0;
    const result = singleGateRNN(x, descriptor, {initialState: h0, mask});
    const heapGrew = onWasm && heapBytes() > heapBefore;
    // Only the two outputs stay on the backend: the kernel's scratch (W and U laid out) is freed.
    expect(tf.backend().numDataIds(), 'data on the backend after the call').to.equal(ids + 2);
    const output = (await result.output.data()) as Float32Array;
    const finalState = (await result.finalState.data()) as Float32Array;
    tf.dispose([result.output, result.finalState, ...inputs]);
    expect(tf.backend().numDataIds(), 'data on the backend after disposing everything').to.equal(ids - 6);
    return {output, finalState, heapGrew};
  }

  it('leaves only its outputs on the backend', async () => {
    const config = {batch: 3, time: 9, inputChannels: 5, outputChannels: 7, neuron: TANH, seed: 7};
    const {output} = await run({...config, initialState: true, mask: 'random'});
    expect(output.every(Number.isFinite), 'every output finite').to.equal(true);
  });

  it('is right when its own outputs grow the heap (views are taken after allocating)', async () => {
    // An output twice the size of the whole heap cannot fit without growing it, whatever earlier
    // specs left allocated; the inputs, an eighth of that, may grow it too, but not by that much.
    const units = 8;
    const time = Math.ceil((2 * heapBytes()) / (4 * units));
    const config: ProblemConfig = {
      batch: 1,
      time,
      inputChannels: 1,
      outputChannels: units,
      neuron: TANH,
      initialState: true,
      mask: 'random',
      seed: 8,
    };
    const got = await run(config);
    expect(got.heapGrew, 'the heap grew during the call').to.equal(true);
    await useBackend('cpu');
    const expected = await run(config);
    expectArraysClose(got.output, expected.output, wasm.tolerance, {what: 'output'});
    expectArraysClose(got.finalState, expected.finalState, wasm.tolerance, {what: 'final state'});
  });
});
