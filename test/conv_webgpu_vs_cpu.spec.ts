/**
 * The image variant's fused WebGPU kernel (`SingleGateConvRNN`) against the cpu kernel (the float64 loop
 * over pixels), both called through the engine as the op calls them (util/conv_kernel_problem.ts): seeded random shapes and
 * options (cases/conv_webgpu.ts; window sizes 1, 2, 3, 5, W's and U's apart), pinned cases for each
 * strategy, both strategies reached as planned, no tensor or GPU buffer left behind, and no pipeline
 * compiled for new shapes of a configuration already run.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {
  planConvRecurrence,
  recurrenceSplits,
  windowTile,
  type ConvRecurrenceShape,
} from '../kernels/webgpu/conv/strategy.js';
import {CONV_TILE_PIXELS} from '../kernels/webgpu/conv/tuning.js';
import {SingleGateConvRNN} from '../src/contracts/image_kernel.js';
import {describeConvConfig, PINNED_CONV, randomConvConfig} from './cases/conv_webgpu.js';
import {backendsWithKernel, useBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {makeConvProblem, runConvKernel, type ConvProblemConfig} from './util/conv_kernel_problem.js';
import {expectNoLeaks} from './util/memory.js';

/** The limits every WebGPU adapter offers at least. */
const DEFAULT_LIMITS = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupStorageSize: 16384,
  maxComputeWorkgroupsPerDimension: 65535,
};

const CASES = 40;

function recurrenceShape(c: ConvProblemConfig): ConvRecurrenceShape {
  return {
    batch: c.batch,
    time: c.time,
    height: c.height,
    width: c.width,
    channels: c.outputChannels,
    kernelHeight: c.recurrentKernel[0],
    kernelWidth: c.recurrentKernel[1],
  };
}

/** Counts the compute pipelines the device creates while `fn` runs. */
async function pipelinesCompiled(device: GPUDevice, fn: () => Promise<void>): Promise<number> {
  const sync = device.createComputePipeline.bind(device);
  const async = device.createComputePipelineAsync.bind(device);
  let count = 0;
  device.createComputePipeline = (descriptor) => {
    count++;
    return sync(descriptor);
  };
  device.createComputePipelineAsync = (descriptor) => {
    count++;
    return async(descriptor);
  };
  try {
    await fn();
  } finally {
    device.createComputePipeline = sync;
    device.createComputePipelineAsync = async;
  }
  return count;
}

for (const backend of backendsWithKernel(SingleGateConvRNN).filter((b) => b.name === 'webgpu')) {
  describe(`${backend.name} SingleGateConvRNN against the cpu kernel`, () => {
    beforeEach(() => useBackend(backend.name));

    const expectMatches = async (config: ConvProblemConfig): Promise<void> => {
      const problem = makeConvProblem(config);
      await useBackend('cpu');
      const expected = await runConvKernel(problem);
      await useBackend(backend.name);
      const got = await expectNoLeaks(() => runConvKernel(problem));
      const {batch, time, height, width, outputChannels} = config;
      expect(got.outputShape).to.deep.equal([batch, time, height, width, outputChannels]);
      expect(got.finalStateShape).to.deep.equal([batch, height, width, outputChannels]);
      expectArraysClose(got.output, expected.output, backend.tolerance, {
        what: 'output',
        shape: got.outputShape,
      });
      expectArraysClose(got.finalState, expected.finalState, backend.tolerance, {
        what: 'final state',
        shape: got.finalStateShape,
      });
    };

    it('plans the persistent loop for small images and a dispatch per step for large ones', () => {
      const {limits} = (tf.backend() as WebGPUBackend).device;
      const plan = (c: ConvProblemConfig) => planConvRecurrence(recurrenceShape(c), limits).strategy;
      const strategies = new Set(
        [...PINNED_CONV, ...Array.from({length: CASES}, (_, k) => randomConvConfig(k + 1))].map(plan),
      );
      expect([...strategies].sort(), 'strategies the cases reach').to.deep.equal(['persistent', 'stepwise']);
      // The benchmark's shapes: an 8x8 image of 32 channels fits a workgroup; 64x64 does not.
      const shape = (batch: number, time: number, size: number, channels: number, k: number) =>
        planConvRecurrence(
          {batch, time, height: size, width: size, channels, kernelHeight: k, kernelWidth: k},
          limits,
        ).strategy;
      expect(shape(1, 100, 8, 32, 3)).to.equal('persistent');
      expect(shape(4, 10, 64, 16, 3)).to.equal('stepwise');
      // Long windows split the stepwise sum, short ones do not, whatever the image (planned with the
      // default limits, as the pinned cases' labels are: a larger workgroup memory makes more persistent).
      const splits = PINNED_CONV.map((c) => planConvRecurrence(recurrenceShape(c), DEFAULT_LIMITS))
        .filter((p) => p.strategy === 'stepwise')
        .map((p) => p.splits);
      expect([...new Set(splits)].sort(), 'splits the stepwise pinned cases reach').to.deep.equal([1, 4, 8]);
      const splitsOf = (channels: number, k: number) =>
        recurrenceSplits({channels, kernelHeight: k, kernelWidth: k});
      expect(splitsOf(32, 5), '5x5 window, 32 channels').to.equal(8);
      expect(splitsOf(16, 3), '3x3 window, 16 channels').to.equal(1);
      // Long windows' sums cover a tile of pixels; a stepwise pinned case reaches it on an odd width.
      expect(windowTile(5 * 5 * 32), '5x5 window, 32 channels').to.equal(4);
      expect(windowTile(3 * 3 * 16), '3x3 window, 16 channels').to.equal(1);
      const tiled = PINNED_CONV.filter((c) => {
        const p = planConvRecurrence(recurrenceShape(c), DEFAULT_LIMITS);
        return p.strategy === 'stepwise' && p.tile > 1 && c.width % p.tile !== 0;
      });
      expect(tiled.length, 'stepwise pinned cases with a partial last tile').to.be.greaterThan(0);
      const unsplitTiled = PINNED_CONV.filter((c) => {
        const p = planConvRecurrence(recurrenceShape(c), DEFAULT_LIMITS);
        return p.strategy === 'stepwise' && p.tile > 1 && p.splits === 1;
      });
      expect(unsplitTiled.length, 'stepwise pinned cases tiled and unsplit').to.be.greaterThan(0);
      const tiledProjection = PINNED_CONV.filter(
        (c) =>
          c.inputWeights !== 'null' &&
          !c.unitTransform &&
          windowTile(c.inputKernel[0] * c.inputKernel[1] * c.inputChannels) > 1 &&
          c.width % CONV_TILE_PIXELS !== 0,
      );
      expect(
        tiledProjection.length,
        'pinned cases with a tiled projection and a partial last tile',
      ).to.be.greaterThan(0);
    });

    for (const config of PINNED_CONV) {
      it(`pinned ${planLabel(config)}: ${describeConvConfig(config)}`, () => expectMatches(config));
    }
    for (let k = 1; k <= CASES; k++) {
      const config = randomConvConfig(k);
      it(`random: ${describeConvConfig(config)}`, () => expectMatches(config));
    }

    it('compiles no pipeline for another batch, length or image size of a configuration it has run', async () => {
      const {device} = tf.backend() as WebGPUBackend;
      const stepwise = {...PINNED_CONV[4], time: 2};
      const persistent = {...PINNED_CONV[0], time: 2};
      await runConvKernel(makeConvProblem(stepwise));
      await runConvKernel(makeConvProblem(persistent));
      const compiled = await pipelinesCompiled(device, async () => {
        await runConvKernel(makeConvProblem({...stepwise, batch: 1, time: 3, height: 40, width: 29}));
        await runConvKernel(makeConvProblem({...persistent, batch: 3, time: 4, inputChannels: 5}));
      });
      expect(compiled, 'pipelines compiled').to.equal(0);
    });

    it('leaves no GPU buffer in use after a call', async () => {
      const gpu = tf.backend() as WebGPUBackend;
      const problem = makeConvProblem({...PINNED_CONV[1]});
      await runConvKernel(problem);
      const before = gpu.bufferManager.getNumUsedBuffers();
      await runConvKernel(problem);
      // A read of a fresh tensor flushes the releases still pending from the call; the probe itself
      // may hold one buffer.
      const probe = tf.tensor1d([0]);
      await probe.data();
      const leftover = gpu.bufferManager.getNumUsedBuffers() - before;
      probe.dispose();
      expect(leftover, 'buffers left in use besides the probe').to.be.at.most(1);
    });
  });
}

/** 'persistent' or 'stepwise', as planned with the default limits every WebGPU adapter offers. */
function planLabel(config: ConvProblemConfig): string {
  return planConvRecurrence(recurrenceShape(config), DEFAULT_LIMITS).strategy;
}
