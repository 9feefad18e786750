/**
 * The comparison both demos draw: the bundled model against the same network built from
 * tf.layers.simpleRNN with the same weights, timed the same way.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import type {SingleGateRNNLayer} from '../src/index.js';

/** The demo model (SingleGateRNN → Dense) rebuilt on tf.layers.simpleRNN: W and U transposed. */
export function simpleRNNTwin(model: tfl.LayersModel): tfl.Sequential {
  const rnn = model.layers[0] as SingleGateRNNLayer;
  const [w, u, b, denseKernel, denseBias] = model.getWeights();
  const twin = tfl.sequential({
    layers: [
      tfl.layers.simpleRNN({units: rnn.outputFeatureChannels, inputShape: [null, 1], activation: 'tanh'}),
      tfl.layers.dense({units: 1}),
    ],
  });
  const transposed = [tf.transpose(w), tf.transpose(u)];
  twin.setWeights([...transposed, b, denseKernel, denseBias]);
  tf.dispose(transposed);
  return twin;
}

/** Wall time of one call, from the call to its data on the host. */
export async function timeOnce(f: () => tf.Tensor): Promise<number> {
  const start = performance.now();
  const y = f();
  await y.data();
  const elapsed = performance.now() - start;
  y.dispose();
  return elapsed;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall time of `runs` calls, after two untimed ones that compile pipelines. */
export async function medianMs(f: () => tf.Tensor, runs: number): Promise<number> {
  const times: number[] = [];
  for (let k = 0; k < runs + 2; k++) {
    const elapsed = await timeOnce(f);
    if (k >= 2) times.push(elapsed);
  }
  return median(times);
}

/** "3.2× faster" or "1.4× slower" (or "level"): ours against theirs, said the way a person reads it. */
export function speedPhrase(oursMs: number, theirsMs: number): string {
  const ratio = theirsMs / oursMs;
  if (Math.abs(ratio - 1) < 0.05) return 'level with tf.layers.simpleRNN';
  return ratio > 1
    ? `${ratio.toFixed(1)}× faster than tf.layers.simpleRNN`
    : `${(1 / ratio).toFixed(1)}× slower than tf.layers.simpleRNN`;
}
