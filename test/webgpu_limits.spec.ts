/**
 * What the WebGPU kernel does when a call does not fit the device: buffers past the device's limits
 * are refused before anything is allocated, naming the buffer; a GPU error while a call is set up
 * (out of memory, say) makes reading its outputs fail instead of returning zeros.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNN} from 'tfjs-single-gate-rnn';

import {checkBufferLimits} from '../kernels/webgpu/buffer_limits.js';
import {withErrorScopes} from '../kernels/webgpu/error_scopes.js';
import {backendsWithKernel, useBackend} from './util/backends.js';
import {expectNoLeaks} from './util/memory.js';

/** The message of what `fn` throws or rejects with ('' if nothing). */
async function failureOf(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

describe('WebGPU buffer limits (checkBufferLimits)', () => {
  const limits = {maxBufferSize: 1 << 20, maxStorageBufferBindingSize: 1 << 19};

  it('names the buffer, its size and the smaller of the two limits', async () => {
    const need = {name: 'recurrentWeights', shape: [512, 512], bytesPerElement: 4, advice: 'use fewer units'};
    expect(await failureOf(() => checkBufferLimits([need], limits))).to.equal(
      'SingleGateRNN on webgpu: recurrentWeights [512, 512] takes 1048576 bytes, more than this ' +
        "device's maxStorageBufferBindingSize (524288 bytes); use fewer units",
    );
    const larger = {...need, shape: [513, 512]};
    const binding = {...limits, maxStorageBufferBindingSize: 1 << 22};
    expect(await failureOf(() => checkBufferLimits([larger], binding))).to.equal(
      'SingleGateRNN on webgpu: recurrentWeights [513, 512] takes 1050624 bytes, more than this ' +
        "device's maxBufferSize (1048576 bytes); use fewer units",
    );
  });

  it('accepts buffers up to the limit', () => {
    const need = {name: 'output', shape: [1, 1024, 128], bytesPerElement: 4, advice: ''};
    checkBufferLimits([need], limits);
  });
});

for (const backend of backendsWithKernel().filter((b) => b.name === 'webgpu')) {
  describe(`${backend.name}: calls that do not fit the device`, () => {
    beforeEach(() => useBackend(backend.name));

    it('refuses an output larger than the device can bind, before allocating it', async () => {
      const {limits} = (tf.backend() as WebGPUBackend).device;
      const limit = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
      const limitName =
        limits.maxStorageBufferBindingSize <= limits.maxBufferSize
          ? 'maxStorageBufferBindingSize'
          : 'maxBufferSize';
      const units = 8192;
      const time = Math.floor(limit / (4 * units)) + 1;
      await expectNoLeaks(async () => {
        const x = tf.zeros<tf.Rank.R3>([1, time, 1]);
        const message = await failureOf(() =>
          singleGateRNN(x, {inputFeatureChannels: 1, outputFeatureChannels: units}),
        );
        x.dispose();
        expect(message).to.equal(
          `SingleGateRNN on webgpu: output [1, ${time}, ${units}] takes ${4 * time * units} bytes, more ` +
            `than this device's ${limitName} (${limit} bytes); run the batch in parts, or shorter ` +
            'sequences one after the other (initialState)',
        );
      });
    });

    it('makes reading the outputs of a call whose setup failed on the GPU reject, naming the error', async () => {
      const gpu = tf.backend() as WebGPUBackend;
      const [output] = withErrorScopes(gpu, () => {
        // Past maxBufferSize: a validation error (Dawn) or out of memory (wgpu, Firefox), as an
        // allocation past the device's memory would be.
        gpu.device.createBuffer({size: gpu.device.limits.maxBufferSize + 4, usage: GPUBufferUsage.STORAGE});
        return [tf.zeros([4])];
      });
      const message = await failureOf(() =>
        tf
          .tensor([0])
          .data()
          .then(() => output.data()),
      );
      output.dispose();
      expect(message).to.match(
        /^SingleGateRNN on webgpu: the GPU reported (an error|out of memory) while setting up the call \(.+\); its results are not valid\./s,
      );
    });

    it('makes dataSync of such outputs throw the same message once the verdict has arrived', async function () {
      const gpu = tf.backend() as WebGPUBackend;
      const probe = tf.tensor([1]);
      const syncReads = await failureOf(() => probe.dataSync());
      probe.dispose();
      if (syncReads !== '') {
        // tfjs reads webgpu data synchronously through an OffscreenCanvas, which not every host has.
        console.warn(`skipped: this host cannot read webgpu data synchronously (${syncReads})`);
        this.skip();
      }
      const [output] = withErrorScopes(gpu, () => {
        gpu.device.createBuffer({size: gpu.device.limits.maxBufferSize + 4, usage: GPUBufferUsage.STORAGE});
        return [tf.zeros([4])];
      });
      // A synchronous read cannot wait for the GPU's verdict: it throws once the verdict is in.
      await gpu.device.queue.onSubmittedWorkDone();
      let message = '';
      for (let tries = 0; message === '' && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        message = await failureOf(() => output.dataSync());
      }
      output.dispose();
      expect(message).to.match(
        /^SingleGateRNN on webgpu: the GPU reported (an error|out of memory) while setting up the call \(.+\); its results are not valid\./s,
      );
    });

    it('reads the outputs of a call without GPU errors as usual', async () => {
      const gpu = tf.backend() as WebGPUBackend;
      const [output] = withErrorScopes(gpu, (): tf.Tensor[] => [tf.tidy(() => tf.add(tf.ones([3]), 1))]);
      expect(Array.from(await output.data())).to.deep.equal([2, 2, 2]);
      output.dispose();
    });
  });
}
