/**
 * The yardstick for the wasm kernel: the same recurrence (tanh, W, U, b) as a plain JavaScript loop
 * over Float32Arrays, outside tfjs. It is what "as fast as a plain loop" means for the wasm rows: the
 * kernel runs the same kind of loop, but over the wasm backend's heap and behind a tfjs op call.
 */
import type {Shape} from './run.js';
import {Random} from '../test/util/random.js';

/** Median milliseconds of `runs` calls of the plain loop at `shape`, after `warmup` calls. */
export function plainLoopMs([batch, time, inputs, units]: Shape, runs: number, warmup: number): number {
  const random = new Random(1);
  const x = random.floats(batch * time * inputs);
  const w = random.floats(units * inputs, -1 / Math.sqrt(inputs), 1 / Math.sqrt(inputs));
  const u = random.floats(units * units, -0.9 / Math.sqrt(units), 0.9 / Math.sqrt(units));
  const b = random.floats(units, -0.5, 0.5);
  const times: number[] = [];
  for (let r = 0; r < warmup + runs; r++) {
    const start = performance.now();
    const output = new Float32Array(batch * time * units);
    const h = new Float32Array(units);
    for (let n = 0; n < batch; n++) {
      h.fill(0);
      for (let t = 0; t < time; t++) {
        const row = (n * time + t) * units;
        const xRow = (n * time + t) * inputs;
        for (let i = 0; i < units; i++) {
          let acc = b[i];
          for (let j = 0; j < inputs; j++) acc += w[i * inputs + j] * x[xRow + j];
          for (let j = 0; j < units; j++) acc += u[i * units + j] * h[j];
          output[row + i] = Math.tanh(acc);
        }
        for (let i = 0; i < units; i++) h[i] = output[row + i];
      }
    }
    if (r >= warmup) times.push(performance.now() - start);
  }
  times.sort((p, q) => p - q);
  return times[times.length >> 1];
}
