/**
 * Measures what running a bidirectional layer pair in one `SingleGateRNNBidirectional` kernel call
 * (both recurrences in the same dispatches) gains over two `SingleGateRNN` calls, one direction after
 * the other, on webgpu in Node (Dawn; SwiftShader where VK_ICD_FILENAMES points at it). The two-call
 * side is the op with the pair kernel unregistered, which is exactly its fallback.
 *
 * Each timing runs from the call to both outputs' data on the host, after warm-up, alternating which
 * side goes first; the median of RUNS runs is printed per shape and strategy.
 *
 * Usage: esbuild --bundle --platform=node --format=cjs --main-fields=module,main --external:webgpu
 *   bench/bidirectional_concurrency.ts --outfile=build/bidirectional_concurrency.cjs
 *   && node build/bidirectional_concurrency.cjs
 * SHAPES='[[batch,time,inputs,units],...]' (default: a persistent and a stepwise shape small enough for
 * a software adapter), RUNS=n (default 9).
 */
import type {Rank} from '@tensorflow/tfjs-core';

import type {SingleGateRNNDescriptor} from '../src/index.js';
import {installNavigatorGpu} from '../src/node/index.js';

type Shape = [number, number, number, number];
const DEFAULT_SHAPES: Shape[] = [
  [4, 64, 32, 32],
  [16, 100, 64, 64],
  [2, 8, 16, 600],
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  await installNavigatorGpu();
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  const sg = await import('../src/index.js');
  const {SingleGateRNNBidirectional} = await import('../src/contracts/pair_kernel.js');
  const {planRecurrence} = await import('../kernels/webgpu/strategy.js');
  if (!(await tf.setBackend('webgpu'))) throw new Error('no WebGPU adapter');
  const limits = (tf.backend() as unknown as {device: GPUDevice}).device.limits;
  const pairKernel = tf.getKernel(SingleGateRNNBidirectional, 'webgpu');
  const shapes = process.env.SHAPES ? (JSON.parse(process.env.SHAPES) as Shape[]) : DEFAULT_SHAPES;
  const runs = Number(process.env.RUNS ?? 9);

  for (const [batch, time, inputs, units] of shapes) {
    const x = tf.randomUniform<Rank.R3>([batch, time, inputs], -1, 1);
    const layer = (direction: 'forward' | 'backward'): SingleGateRNNDescriptor => ({
      inputFeatureChannels: inputs,
      outputFeatureChannels: units,
      useFloat32Weights: true,
      layerSequenceDirection: direction,
      inputWeights: {
        weights: tf.randomUniform<Rank.R2>([units, inputs], -0.3, 0.3),
        biasTerms: tf.randomUniform<Rank.R1>([units], -0.1, 0.1),
        neuron: {type: 'tanh', a: 1, b: 1},
      },
      recurrentWeights: {weights: tf.randomUniform<Rank.R2>([units, units], -0.1, 0.1)},
    });
    const descriptors = [layer('forward'), layer('backward')];
    const once = async (): Promise<number> => {
      const start = performance.now();
      const {outputForward, outputBackward} = sg.singleGateRNNBidirectional(x, descriptors);
      await Promise.all([outputForward.data(), outputBackward.data()]);
      tf.dispose([outputForward, outputBackward]);
      return performance.now() - start;
    };
    const sides = {
      together: async () => once(),
      apart: async () => {
        tf.unregisterKernel(SingleGateRNNBidirectional, 'webgpu');
        try {
          return await once();
        } finally {
          tf.registerKernel(pairKernel);
        }
      },
    };
    const times: Record<keyof typeof sides, number[]> = {together: [], apart: []};
    await sides.together();
    await sides.apart();
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? (['together', 'apart'] as const) : (['apart', 'together'] as const);
      for (const side of order) times[side].push(await sides[side]());
    }
    const strategy = planRecurrence({batch, time, units, float16: false}, limits).strategy;
    const [together, apart] = [median(times.together), median(times.apart)];
    console.log(
      `(${batch}, ${time}, ${inputs}, ${units}) ${strategy}: one pair call ${together.toFixed(1)} ms, ` +
        `two calls ${apart.toFixed(1)} ms (${(apart / together).toFixed(2)}x)`,
    );
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
