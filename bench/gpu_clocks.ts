/**
 * Raises a GPU's clocks before a GPU-time sample. A GPU that is only lightly loaded lowers its clocks:
 * on an H200 between samples the SM clock sat at 345 MHz against 1980 MHz under load, and the image
 * variant's (8, 20, 16, 16, 32, 32, 5) took 4.5 ms of GPU time after 1.5 s idle against 1.05 ms at
 * full clocks. PyTorch's loops keep the GPU busy, so its figures are at full clocks; bursts of matrix
 * products just before our GPU-time samples (for every op alike) put ours there too. Wall-clock
 * samples (call to data) get no bursts: a run with bursts before them too gave no faster calls (0.80 ms
 * at (1, 100, 64, 128), against 0.55 ms in the run before it without), so those columns run at
 * whatever clock the calls themselves raise. The clocks rise only under
 * sustained load: 25 ms bursts after an idle spell left them low (4.55 ms), a 300 ms burst raised
 * them and 25 ms bursts before each sample then held them (1.05 ms).
 */
import type * as TfCore from '@tensorflow/tfjs-core';

/** A burst after an idle spell (ms), long enough to raise the clocks. */
const RAISE_MS = 300;
/** A burst between samples (ms), enough to hold them. */
const HOLD_MS = 25;
/** Idle this long (ms) and the clocks may have dropped again. */
const IDLE_MS = 500;
/** Products enqueued per readback: enough that the queue never runs dry between readbacks. */
const PRODUCTS_PER_READ = 4;
const SIZE = 1024;

let enabled = false;
let operand: TfCore.Tensor2D | null = null;
let lastBurstEnd = -Infinity;

/**
 * Turns the bursts on, for a runner on a hardware GPU: on a software adapter a burst would be seconds
 * of CPU work and there are no clocks to raise.
 */
export function enableClockBursts(): void {
  enabled = true;
}

/** A burst, where enabled and the webgpu backend is active: before every GPU-time sample of every op. */
export async function raiseGpuClocks(tf: typeof TfCore): Promise<void> {
  if (!enabled || tf.getBackend() !== 'webgpu') return;
  operand ??= tf.keep(tf.randomUniform<TfCore.Rank.R2>([SIZE, SIZE], -1, 1));
  const start = performance.now();
  const length = start - lastBurstEnd > IDLE_MS ? RAISE_MS : HOLD_MS;
  while (performance.now() - start < length) {
    const products = tf.tidy(() =>
      Array.from({length: PRODUCTS_PER_READ}, () => tf.matMul(operand!, operand!)),
    );
    await products[products.length - 1].data();
    tf.dispose(products);
  }
  lastBurstEnd = performance.now();
}
