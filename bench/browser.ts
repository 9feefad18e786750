/**
 * The benchmark page's script (bundled for the browser, loaded by the page bench/chromium.ts serves):
 * runs the shared benchmark (bench/run.ts) on the webgpu backend (where the browser has an adapter),
 * the webgl backend and the wasm backend (bench/wasm.ts, with the plain-loop yardstick), ours on wasm
 * against ONNX Runtime Web (bench/ort.ts), or those of
 * them that /options.json names, and posts everything back to that server: progress lines to
 * /progress, each backend's report to /report, /done at the end, a failure to /error. The server fills
 * /options.json from its environment.
 */
import * as tf from '@tensorflow/tfjs-core';
// Without the @tensorflow/tfjs union package nothing adds the chained methods (`t.flatten()`) to
// Tensor, and tfjs-layers calls them internally.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-web';

import {setWasmThreads, singleGateConvRNN, singleGateRNN, singleGateRNNBidirectional} from '../src/index.js';
import type {PageBackend} from './chromium.js';
import type {EnvOptions} from './options.js';
import {benchmarkConv} from './conv.js';
import {benchmarkOrt, type OrtShape} from './ort.js';
import {runBenchmark} from './run.js';
import {benchmarkSequence} from './sequence.js';
import {benchmarkWasm} from './wasm.js';

/** The WebGL renderer the webgl backend draws with, as the report's adapter fields. */
function webglRenderer(): Record<string, string> {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (gl == null) throw new Error('no WebGL 2 context: the webgl backend cannot run here');
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  return {
    vendor: String(gl.getParameter(debug ? debug.UNMASKED_VENDOR_WEBGL : gl.VENDOR)),
    description: String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER)),
  };
}

/** What the server puts in /options.json. */
type PageOptions = EnvOptions & {backends: PageBackend[]; ortShapes?: OrtShape[]; threads?: number};

async function post(path: string, body: string): Promise<void> {
  const response = await fetch(path, {method: 'POST', body});
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status}`);
}

interface UserAgentData {
  getHighEntropyValues(hints: string[]): Promise<{fullVersionList?: {brand: string; version: string}[]}>;
}

/**
 * The browser and its full version, e.g. 'HeadlessChrome 156.0.8078.108'. The user agent string alone
 * is frozen at '156.0.0.0' (user-agent reduction); the client hints still tell the build.
 */
async function browserName(): Promise<string> {
  const uaData = (navigator as Navigator & {userAgentData?: UserAgentData}).userAgentData;
  const brands = (await uaData?.getHighEntropyValues(['fullVersionList']))?.fullVersionList ?? [];
  const brand = brands.find((b) => /chrom/i.test(b.brand));
  const headless = /HeadlessChrome/.test(navigator.userAgent) ? ' (headless)' : '';
  return brand ? `${brand.brand} ${brand.version}${headless}` : navigator.userAgent;
}

/** Measures the webgpu backend, where the browser has an adapter (says so where it has none). */
async function benchmarkWebGpu(options: PageOptions, runtime: string): Promise<void> {
  const log = (line: string) => post('/progress', line);
  const gpuAdapter =
    'gpu' in navigator ? await navigator.gpu.requestAdapter({powerPreference: 'high-performance'}) : null;
  if (gpuAdapter == null) {
    await log('No WebGPU adapter (navigator.gpu missing or no adapter): no webgpu rows.');
    return;
  }
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend failed to initialize');
  await tf.ready();
  const {info} = gpuAdapter;
  const adapter = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
  };
  const report = await runBenchmark(tf, tfl, singleGateRNN, {
    ...options,
    adapter,
    runtime,
    log,
    gpu: navigator.gpu,
  });
  await post('/report', JSON.stringify(report));
  await benchmarkSequence(tf, tfl, {singleGateRNN, singleGateRNNBidirectional}, {...options, adapter, log});
  await benchmarkConv(tf, singleGateConvRNN, {...options, shapes: undefined, adapter, runtime, log});
}

async function benchmarkWebGl(options: PageOptions, runtime: string): Promise<void> {
  const log = (line: string) => post('/progress', line);
  if (!(await tf.setBackend('webgl'))) {
    await log('The webgl backend failed to initialize: no webgl rows.');
    return;
  }
  await tf.ready();
  const report = await runBenchmark(tf, tfl, singleGateRNN, {
    ...options,
    adapter: webglRenderer(),
    runtime,
    log,
  });
  await post('/report', JSON.stringify(report));
}

async function benchmarkWasmPage(options: PageOptions, runtime: string): Promise<void> {
  // The server serves the wasm backend's binaries under /wasm/ (bench/chromium.ts).
  setWasmPaths('/wasm/');
  const log = (line: string) => post('/progress', line);
  const report = await benchmarkWasm(tf, tfl, singleGateRNN, {...options, runtime, log});
  if (report != null) await post('/report', JSON.stringify(report));
}

/**
 * Ours on wasm against ONNX Runtime Web's wasm RNN (bench/ort.ts), on options.threads threads each
 * (THREADS; the page is cross-origin isolated, so both have SharedArrayBuffer); the server adds the
 * load average and the binaries the page fetched.
 */
async function benchmarkOrtPage(options: PageOptions, runtime: string): Promise<void> {
  // The server serves both packages' binaries: tfjs' under /wasm/, ONNX Runtime's under /ort/.
  setWasmPaths('/wasm/');
  ort.env.wasm.wasmPaths = '/ort/';
  const log = (line: string) => post('/progress', line);
  const report = await benchmarkOrt(tf, {singleGateRNN, singleGateRNNBidirectional, setWasmThreads}, ort, {
    runtime,
    runs: options.runs,
    shapes: options.ortShapes,
    threads: options.threads,
    log,
  });
  if (report != null) await post('/report', JSON.stringify({...report, crossOriginIsolated}));
}

const BENCHMARKS: Record<PageBackend, (options: PageOptions, runtime: string) => Promise<void>> = {
  webgpu: benchmarkWebGpu,
  webgl: benchmarkWebGl,
  wasm: benchmarkWasmPage,
  ort: benchmarkOrtPage,
};

async function main(): Promise<void> {
  const options = (await (await fetch('/options.json')).json()) as PageOptions;
  const runtime = await browserName();
  for (const backend of options.backends) await BENCHMARKS[backend](options, runtime);
  await post('/done', '');
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  // The server ends the run when this arrives; if even this post fails, its timeout does.
  post('/error', message).catch(() => undefined);
});
