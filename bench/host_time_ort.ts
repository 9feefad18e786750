/**
 * ONNX Runtime Web's wasm `RNN` (one thread: the CPU peer a user without our GPU call would pick) at
 * the host-time shapes, for the GPU machine's host-time call (bench/host_time_device.sh), so its rows
 * stand beside our webgpu op's from the same call. The problem is each shape's own
 * (bench/problem.ts), the one bench/host_time.ts gives our op; the ONNX model is built from those
 * weights (bench/onnx_model.ts). Each sample runs from `new ort.Tensor` over x (held time-major, as a
 * user exporting to ONNX would hold it) to the output's values in JS; medians after warm-up.
 *
 * ORT's output is checked once per shape against our op on webgpu (untimed), within the wasm
 * tolerance: a mismatch is recorded and printed, not fatal, so one bad shape does not cost the rest
 * of a device call.
 *
 * SHAPES='[[batch,time,inputs,units],...]' (required), RUNS=n (default 20), ORT_OUT=file appends one
 * JSON line per shape, ORT_WASM_DIR=folder holding ort-wasm-simd-threaded.mjs and .wasm (default:
 * the package's dist folder under the working directory).
 */
import {cpus, loadavg} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {appendFileSync} from 'node:fs';

import * as ort from 'onnxruntime-web';

import {compareArrays} from '../test/util/close.js';
import {toleranceFor} from '../test/util/tolerance.js';
import {batchMajor, onnxRnnModel, timeMajor} from './onnx_model.js';
import {problemArrays} from './problem.js';
import {DEFAULT_RUNS, median, WARMUP} from './run.js';
import {type Shape, shapesFromEnv} from './shapes_env.js';
import {problemCall, startWebGpu} from './webgpu_node.js';

/** One shape's row, as written to ORT_OUT. */
export interface OrtHostTimeRecord {
  B: number;
  T: number;
  I: number;
  H: number;
  /** new ort.Tensor to the output's values (median, ms). */
  ortMs: number;
  runs: number;
  warmup: number;
  threads: 1;
  ortVersion: string;
  /** Largest |ORT - ours on webgpu| and how many values fall outside the tolerance; null: not checked. */
  maxAbsDiff: number | null;
  mismatches: number | null;
  cpu: string;
  loadAverage: number[];
}

/** Our op's output on webgpu for the shape's problem, or null where no webgpu backend starts. */
type OursOnWebGpu = (shape: Shape) => Promise<Float32Array | null>;

async function oursOnWebGpu(): Promise<OursOnWebGpu> {
  const side = await startWebGpu();
  if (side == null) console.log('No webgpu backend: ORT outputs go unchecked.');
  return async (shape) => {
    if (side == null) return null;
    const problem = problemCall(side, shape);
    const outputs = problem.call();
    const values = (await outputs[0].data()) as Float32Array;
    side.tf.dispose(outputs);
    problem.dispose();
    return values;
  };
}

async function main(): Promise<void> {
  const shapes = shapesFromEnv('SHAPES', null);
  const runs = Number(process.env.RUNS ?? DEFAULT_RUNS);
  const out = process.env.ORT_OUT;
  const wasmDir = process.env.ORT_WASM_DIR ?? join(process.cwd(), 'node_modules', 'onnxruntime-web', 'dist');
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.wasmPaths = pathToFileURL(wasmDir + '/').href;
  const ours = await oursOnWebGpu();
  const tolerance = toleranceFor('wasm');
  const cpu = cpus()[0]?.model ?? 'unknown';
  console.log(`ONNX Runtime Web ${ort.env.versions.web ?? '?'} wasm, 1 thread, on ${cpu}`);

  for (const [batch, time, inputs, units] of shapes) {
    const data = problemArrays(batch, time, inputs, units);
    const xTimeMajor = timeMajor(data.x, batch, time, inputs);
    const session = await ort.InferenceSession.create(
      onnxRnnModel({batch, time, inputs, units}, [{w: data.w, u: data.u, b: data.b}]),
      {executionProviders: ['wasm'], graphOptimizationLevel: 'all'},
    );
    const call = async (): Promise<Float32Array> => {
      const result = await session.run({X: new ort.Tensor('float32', xTimeMajor, [time, batch, inputs])});
      const y = (await result.Y.getData()) as Float32Array;
      for (const value of Object.values(result)) value.dispose();
      return y;
    };
    const times: number[] = [];
    let y: Float32Array | null = null;
    for (let i = 0; i < WARMUP + runs; i++) {
      const start = performance.now();
      y = await call();
      if (i >= WARMUP) times.push(performance.now() - start);
    }
    await session.release();

    const expected = await ours([batch, time, inputs, units]);
    const comparison =
      expected == null ? null : compareArrays(batchMajor(y!, 0, 1, batch, time, units), expected, tolerance);
    const record: OrtHostTimeRecord = {
      B: batch,
      T: time,
      I: inputs,
      H: units,
      ortMs: median(times),
      runs,
      warmup: WARMUP,
      threads: 1,
      ortVersion: ort.env.versions.web ?? 'unknown',
      maxAbsDiff: comparison?.largestError ?? null,
      mismatches: comparison?.failures ?? null,
      cpu,
      loadAverage: loadavg(),
    };
    if (comparison != null && comparison.failures > 0) {
      console.log(
        `[${batch}, ${time}, ${inputs}, ${units}]: ORT and ours on webgpu differ at ${comparison.failures} ` +
          `values (largest ${comparison.largestError}, tolerance atol ${tolerance.atol} rtol ${tolerance.rtol})`,
      );
    }
    const line = JSON.stringify(record);
    console.log(line);
    if (out != null) appendFileSync(out, line + '\n');
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
