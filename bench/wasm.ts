/**
 * The wasm rows of the benchmark, for both runners: the shared measurement (bench/run.ts) on the wasm
 * backend, at shapes a CPU finishes in minutes, plus the plain JavaScript loop (plain_loop.ts) at each
 * shape as the yardstick for the kernel's own loop. The runner loads tfjs-backend-wasm and points
 * setWasmPaths at its binaries first.
 */
import {getThreadsCount} from '@tensorflow/tfjs-backend-wasm';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';

import type {singleGateRNN as SingleGateRNNOp} from '../src/index.js';
import {plainLoopMs} from './plain_loop.js';
import {type BenchOptions, runBenchmark, type Shape, WARMUP} from './run.js';
import type {WasmBenchReport} from './wasm_table.js';

/** batch 1 (per-step op overhead dominates tf.layers.simpleRNN), then batches where arithmetic does. */
export const WASM_SHAPES: Shape[] = [
  [1, 100, 64, 128],
  [1, 1000, 128, 128],
  [1, 672, 32, 32],
  [1, 20, 16, 32],
  [1, 100, 512, 512],
  [4, 16, 32, 64],
  [32, 100, 256, 256],
];

/**
 * Runs the wasm rows, or returns null (saying why through `log`) when the wasm backend does not
 * start. The report's adapter fields name the binary (SIMD or not) and XNNPACK's thread count, which
 * tf.layers.simpleRNN's matMuls use.
 */
export async function benchmarkWasm(
  tf: typeof TfCore,
  tfl: typeof TfLayers,
  singleGateRNN: typeof SingleGateRNNOp,
  options: Omit<BenchOptions, 'adapter'>,
): Promise<WasmBenchReport | null> {
  if (!(await tf.setBackend('wasm'))) {
    await options.log('The wasm backend failed to start: no wasm rows.');
    return null;
  }
  await tf.ready();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const adapter = {
    vendor: 'wasm',
    architecture: simd ? 'simd' : 'no-simd',
    description: `tfjs-backend-wasm, ${getThreadsCount()} thread(s)`,
  };
  const report = await runBenchmark(tf, tfl, singleGateRNN, {
    ...options,
    adapter,
    shapes: options.shapes ?? WASM_SHAPES,
  });
  const records = report.records.map((r) => ({
    ...r,
    plainLoopMs: plainLoopMs([r.batch, r.time, r.inputs, r.units], report.runs, WARMUP),
  }));
  return {...report, records};
}
