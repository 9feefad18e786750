/**
 * Raises a GPU's clocks before a GPU-time sample. A GPU that is only lightly loaded lowers its clocks:
 * on an H200 between samples the SM clock sat at 345 MHz against 1980 MHz under load, and the image
 * variant's (1, 100, 8, 8, 32, 32, 3) took 10.1 ms of GPU time after 1.5 s idle against 1.8-3.5 ms
 * right after other work. PyTorch's loops keep the GPU busy, so its figures are at full clocks; a
 * burst of matrix products just before each of our samples (for every op alike) puts ours there too.
 */
import type * as TfCore from '@tensorflow/tfjs-core';

/** How long the burst keeps the GPU busy, ms: clocks rose within one 200 ms nvidia-smi sample. */
const BURST_MS = 25;
/** Products enqueued per readback: enough that the queue never runs dry between readbacks. */
const PRODUCTS_PER_READ = 4;
const SIZE = 1024;

let operand: TfCore.Tensor2D | null = null;

export async function raiseGpuClocks(tf: typeof TfCore): Promise<void> {
  operand ??= tf.keep(tf.randomUniform<TfCore.Rank.R2>([SIZE, SIZE], -1, 1));
  const start = performance.now();
  while (performance.now() - start < BURST_MS) {
    const products = tf.tidy(() =>
      Array.from({length: PRODUCTS_PER_READ}, () => tf.matMul(operand!, operand!)),
    );
    await products[products.length - 1].data();
    tf.dispose(products);
  }
}
