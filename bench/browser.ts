/**
 * The benchmark page's script (bundled for the browser, loaded by the page bench/chromium.ts serves):
 * runs the shared benchmark (bench/run.ts) on the webgpu backend (where the browser has an adapter)
 * and the webgl backend, then the wasm rows (bench/wasm.ts), and posts everything back to that
 * server: progress lines to /progress, each backend's report to /report, /done at the end, a failure
 * to /error. The options come
 * from /options.json, which the server fills from its environment.
 */
import * as tf from '@tensorflow/tfjs-core';
// Without the @tensorflow/tfjs union package nothing adds the chained methods (`t.flatten()`) to
// Tensor, and tfjs-layers calls them internally.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';

import {singleGateConvRNN, singleGateRNN} from '../src/index.js';
import type {EnvOptions} from './options.js';
import {benchmarkConv} from './conv.js';
import {runBenchmark} from './run.js';
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

async function main(): Promise<void> {
  const options = (await (await fetch('/options.json')).json()) as EnvOptions;
  const runtime = await browserName();
  const log = (line: string) => post('/progress', line);
  const gpuAdapter =
    'gpu' in navigator ? await navigator.gpu.requestAdapter({powerPreference: 'high-performance'}) : null;
  if (gpuAdapter == null) {
    await log('No WebGPU adapter (navigator.gpu missing or no adapter): no webgpu rows.');
  } else {
    if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend failed to initialize');
    await tf.ready();
    const {info} = gpuAdapter;
    const adapter = {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
    };
    const report = await runBenchmark(tf, tfl, singleGateRNN, {...options, adapter, runtime, log});
    await post('/report', JSON.stringify(report));
    await benchmarkConv(tf, singleGateConvRNN, {...options, shapes: undefined, adapter, runtime, log});
  }
  if (await tf.setBackend('webgl')) {
    await tf.ready();
    const report = await runBenchmark(tf, tfl, singleGateRNN, {
      ...options,
      adapter: webglRenderer(),
      runtime,
      log,
    });
    await post('/report', JSON.stringify(report));
  } else {
    await log('The webgl backend failed to initialize: no webgl rows.');
  }
  // The server serves the wasm backend's binaries under /wasm/ (bench/chromium.ts).
  setWasmPaths('/wasm/');
  const wasmReport = await benchmarkWasm(tf, tfl, singleGateRNN, {...options, runtime, log});
  if (wasmReport != null) await post('/report', JSON.stringify(wasmReport));
  await post('/done', '');
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  // The server ends the run when this arrives; if even this post fails, its timeout does.
  post('/error', message).catch(() => undefined);
});
