/**
 * Benchmark in Node.js (WebGPU through Dawn, the `webgpu` package, and the wasm backend): the fused
 * SingleGateRNN op against tf.layers.simpleRNN on the same backend; on wasm also against a plain
 * JavaScript loop (bench/wasm.ts). The measuring is bench/run.ts, shared with the headless
 * Chromium runner (bench/chromium.ts); this file only sets up Dawn and writes the results.
 *
 * Each timing runs from the call to the output's data on the host (`await data()`), after warm-up,
 * rotating which op goes first; the median of the runs is reported, with GPU and host times where
 * the adapter has timestamps (see bench/run.ts). Prints a table and writes
 * JSON (one record per shape, plus the adapter) to bench/results/<environment>.json.
 *
 * Options (environment variables, read by this runner and by bench/chromium.ts):
 *   SHAPES='[[batch,time,inputs,units],...]'  shapes to run (default: the full set on a GPU, a reduced
 *                                            set of small shapes on a software adapter)
 *   RUNS=n            timed runs per op and shape (default 20, at least 20 unless set lower here)
 *   ORT_SHAPES='[{"shape":[b,t,i,h],"bidirectional":true},...]'  the ort rows' shapes (default
 *                     bench/ort.ts' ORT_SHAPES, issue 20's table)
 *   THREADS=n         the ort rows on n threads each (ours: setWasmThreads; ORT: env.wasm.numThreads;
 *                     default 1); the JSON is then named ...-ort-wasm-threads<n>.json
 *   BENCH_OUT=dir     where the JSON goes (default bench/results)
 *   BENCH_ENV=name    the file name's environment part (default derived from the adapter)
 *   TFJS_FLAGS='{...}' tfjs flags to set first, e.g. '{"WEBGPU_CPU_FORWARD":false}'
 *   BACKENDS=webgpu,wasm,ort  which backends to run, in this order (default webgpu,wasm,ort; Node
 *                     runner only; cpu adds the cpu backend's rows, the fast cpu kernel: give it SHAPES,
 *                     the full set takes long there; ort: ours on wasm against ONNX Runtime Web's wasm
 *                     RNN, bench/ort.ts, at its own shapes)
 */
import {join, sep} from 'node:path';

import {adapterFields, installNavigatorGpu} from '../src/node/index.js';
import {benchmarkConv, convShapesFromEnv} from './conv.js';
import {optionsFromEnv} from './options.js';
import {enableClockBursts} from './gpu_clocks.js';
import {isSoftwareAdapter, runBenchmark} from './run.js';
import {benchmarkSequence} from './sequence.js';
import {formatTable} from './table.js';
import {benchmarkWasm} from './wasm.js';
import {formatPlainLoopTable} from './wasm_table.js';
import {benchmarkOrt, type OrtShape} from './ort.js';
import {formatOrtTable} from './ort_table.js';
import {writeOrtReport, writeReport} from './write_report.js';
import {DAWN_FLAGS} from './webgpu_node.js';

/** The cpu backend, described like an adapter for the report: the host's processor. */
async function cpuAdapter(): Promise<Record<string, string>> {
  const {cpus} = await import('node:os');
  return {vendor: 'cpu', device: cpus()[0]?.model ?? 'unknown'};
}

async function main(): Promise<void> {
  const backends = (process.env.BACKENDS ?? 'webgpu,wasm,ort').split(',').map((b) => b.trim());
  const gpu = backends.includes('webgpu') ? await installNavigatorGpu(DAWN_FLAGS) : null;
  if (backends.includes('cpu')) {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    const tfl = await import('@tensorflow/tfjs-layers');
    const {singleGateRNN} = await import('../src/index.js');
    await tf.setBackend('cpu');
    const report = await runBenchmark(tf, tfl, singleGateRNN, {
      ...optionsFromEnv(process.env),
      adapter: await cpuAdapter(),
      runtime: `node ${process.version}`,
      log: (line) => console.log(line),
    });
    for (const line of formatTable(report)) console.log(line);
    console.log(`\nwrote ${writeReport(report, 'node')}`);
    await benchmarkSequence(tf, tfl, await import('../src/index.js'), {
      ...optionsFromEnv(process.env),
      log: console.log,
    });
  }
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  const {setWasmPaths} = await import('@tensorflow/tfjs-backend-wasm');
  const tfl = await import('@tensorflow/tfjs-layers');
  const {singleGateRNN, singleGateConvRNN} = await import('../src/index.js');
  const options = {...optionsFromEnv(process.env), runtime: `node ${process.version}`, log: console.log};

  if (gpu != null) {
    if (await tf.setBackend('webgpu')) {
      await tf.ready();
      const adapter = adapterFields((await gpu.requestAdapter({powerPreference: 'high-performance'}))?.info);
      if (!isSoftwareAdapter(adapter)) enableClockBursts();
      const report = await runBenchmark(tf, tfl, singleGateRNN, {...options, adapter, gpu});
      for (const line of formatTable(report)) console.log(line);
      console.log(`\nwrote ${writeReport(report, 'node')}`);
      await benchmarkSequence(tf, tfl, await import('../src/index.js'), {...options, adapter});
      await benchmarkConv(tf, singleGateConvRNN, {
        ...options,
        adapter,
        shapes: convShapesFromEnv(process.env),
      });
    } else {
      console.log('No WebGPU adapter: no webgpu rows.');
    }
  }
  if (backends.includes('wasm')) {
    // Bundled, the wasm backend cannot find its binaries next to itself: point it at the package's.
    setWasmPaths(join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + sep);
    const report = await benchmarkWasm(tf, tfl, singleGateRNN, options);
    if (report != null) {
      for (const line of [...formatTable(report), ...formatPlainLoopTable(report)]) console.log(line);
      console.log(`\nwrote ${writeReport(report, 'node')}`);
    }
  }
  if (backends.includes('ort')) {
    setWasmPaths(join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + sep);
    // onnxruntime-web stays outside the bundle (bench:build marks it external): it finds its own
    // binaries next to itself.
    const ort = await import('onnxruntime-web');
    const {loadavg} = await import('node:os');
    const sg = await import('../src/index.js');
    const report = await benchmarkOrt(tf, sg, ort, {
      runtime: `node ${process.version}`,
      runs: options.runs,
      threads: process.env.THREADS ? Number(process.env.THREADS) : undefined,
      shapes: process.env.ORT_SHAPES ? (JSON.parse(process.env.ORT_SHAPES) as OrtShape[]) : undefined,
      loadAverage: loadavg,
      log: console.log,
    });
    if (report != null) {
      for (const line of formatOrtTable(report)) console.log(line);
      console.log(`\nwrote ${writeOrtReport(report, 'node')}`);
    }
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
