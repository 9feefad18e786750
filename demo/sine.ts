/** The demo's task: given a window of a sine wave, predict its next sample. */
import * as tf from '@tensorflow/tfjs-core';

export const WINDOW = 24;

export interface Waves {
  /** [count, WINDOW, 1]. */
  windows: tf.Tensor3D;
  /** [count, 1]: the sample after each window. */
  next: tf.Tensor2D;
  /** Each wave's angular frequency and phase, to extend it later. */
  params: Array<{omega: number; phase: number}>;
}

/** Deterministic waves with angular frequency in [0.15, 0.45] and any phase. */
export function makeWaves(count: number, seed: number, length = WINDOW): Waves {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const windows = new Float32Array(count * length);
  const next = new Float32Array(count);
  const params = [];
  for (let n = 0; n < count; n++) {
    const omega = 0.15 + 0.3 * random();
    const phase = 2 * Math.PI * random();
    params.push({omega, phase});
    for (let t = 0; t < length; t++) windows[n * length + t] = Math.sin(omega * t + phase);
    next[n] = Math.sin(omega * length + phase);
  }
  return {windows: tf.tensor3d(windows, [count, length, 1]), next: tf.tensor2d(next, [count, 1]), params};
}
