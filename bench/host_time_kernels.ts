/**
 * Host time per call of the pair kernel (singleGateRNNBidirectional, both directions in one kernel
 * call) and of the image kernel (singleGateConvRNN), Node + Dawn: each op called back to back at one
 * shape, `await data()` each time; the medians of the call's return (host work alone), of the time
 * inside the webgpu kernel's function (the rest of the return is the op's own work), and of call to
 * data. The one-direction op at the pair's shape runs beside them.
 *
 * RUNS=n (default 30).
 */
import type {Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Tensor5D} from '@tensorflow/tfjs-core';

import {startWebGpu} from './webgpu_node.js';
import {median} from './run.js';

/** Calls before the timed ones: pipelines compiled, dispatches recorded, calls traced, JIT warm. */
const WARMUP = 10;

async function main(): Promise<void> {
  const side = await startWebGpu();
  if (side == null) throw new Error('no webgpu backend');
  const {tf, singleGateRNN} = side;
  const {singleGateRNNBidirectional, singleGateConvRNN} = await import('../src/index.js');
  const runs = Number(process.env.RUNS ?? 30);
  const random = <T extends Tensor>(shape: number[], scale: number): T =>
    tf.randomUniform(shape, -scale, scale, 'float32', 7) as T;

  const [batch, time, inputs, units] = [1, 100, 64, 128];
  const x = random<Tensor3D>([batch, time, inputs], 1);
  const matrixLayer = (direction: 'forward' | 'backward') => ({
    inputFeatureChannels: inputs,
    outputFeatureChannels: units,
    useFloat32Weights: true,
    layerSequenceDirection: direction,
    inputWeights: {
      weights: random<Tensor2D>([units, inputs], 1 / Math.sqrt(inputs)),
      biasTerms: random<Tensor1D>([units], 0.5),
      neuron: {type: 'tanh' as const},
    },
    recurrentWeights: {weights: random<Tensor2D>([units, units], 1 / Math.sqrt(units))},
  });
  const forward = matrixLayer('forward');
  const backward = matrixLayer('backward');

  const [height, width, channels, kernel] = [8, 8, 8, 3];
  const images = random<Tensor5D>([1, 20, height, width, channels], 1);
  const convScale = 1 / Math.sqrt(kernel * kernel * channels);
  const convLayer = {
    inputFeatureChannels: channels,
    outputFeatureChannels: channels,
    useFloat32Weights: true,
    inputWeights: {
      weights: random<Tensor4D>([channels, kernel, kernel, channels], convScale),
      biasTerms: random<Tensor1D>([channels], 0.5),
      neuron: {type: 'tanh' as const},
    },
    recurrentWeights: {weights: random<Tensor4D>([channels, kernel, kernel, channels], convScale)},
  };

  const calls: Array<[string, () => Tensor[]]> = [
    [
      `bidirectional (${batch},${time},${inputs},${units}), concatenate`,
      () => {
        const r = singleGateRNNBidirectional(x, [forward, backward], {
          bidirectionalCombineMode: 'concatenate',
        });
        return [r.output, ...r.finalStates.forward, ...r.finalStates.backward];
      },
    ],
    [
      `one direction (${batch},${time},${inputs},${units})`,
      () => {
        const r = singleGateRNN(x, forward);
        return [r.output, r.finalState];
      },
    ],
    [
      `image (1,20,${height},${width},${channels}) to ${channels}, ${kernel}x${kernel} windows`,
      () => {
        const r = singleGateConvRNN(images, [convLayer]);
        return [r.output, ...r.finalStates];
      },
    ],
  ];
  // Time inside each of our webgpu kernels' functions (the engine looks a kernel up on each call).
  let inKernel = 0;
  for (const kernel of ['SingleGateRNN', 'SingleGateRNNBidirectional', 'SingleGateConvRNN']) {
    const config = tf.getKernel(kernel, 'webgpu');
    if (config == null) throw new Error(`no webgpu ${kernel} kernel`);
    const run = config.kernelFunc;
    config.kernelFunc = (args) => {
      const start = performance.now();
      try {
        return run(args);
      } finally {
        inKernel += performance.now() - start;
      }
    };
  }
  console.log('| call | return (ms) | in the kernel (ms) | call→data (ms) |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, call] of calls) {
    const returns: number[] = [];
    const kernels: number[] = [];
    const toData: number[] = [];
    for (let i = 0; i < WARMUP + runs; i++) {
      inKernel = 0;
      const start = performance.now();
      const outputs = call();
      const returned = performance.now();
      const kernelMs = inKernel;
      await outputs[0].data();
      const end = performance.now();
      tf.dispose(outputs);
      if (i >= WARMUP) {
        returns.push(returned - start);
        kernels.push(kernelMs);
        toData.push(end - start);
      }
    }
    const figures = [returns, kernels, toData].map((samples) => median(samples).toFixed(3));
    console.log(`| ${name} | ${figures.join(' | ')} |`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
