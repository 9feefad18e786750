/**
 * The benchmark page's script (bundled for the browser, loaded by the page bench/chromium.ts serves):
 * runs the shared benchmark (bench/run.ts) on each of BROWSER_BACKENDS in turn and posts everything
 * back to that server: progress lines to /progress, the report to /report, a failure to /error. The options come
 * from /options.json, which the server fills from its environment.
 */
import * as tf from '@tensorflow/tfjs-core';
// Without the @tensorflow/tfjs union package nothing adds the chained methods (`t.flatten()`) to
// Tensor, and tfjs-layers calls them internally.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import * as tfl from '@tensorflow/tfjs-layers';

import {singleGateRNN} from '../src/index.js';
import type {EnvOptions} from './options.js';
import {runBenchmark} from './run.js';

/** The backends measured, in this order; each gets its rows in the one report. */
const BROWSER_BACKENDS = ['webgpu', 'webgl'];

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
  if (!('gpu' in navigator)) throw new Error('navigator.gpu is missing: WebGPU is off in this browser');
  const gpuAdapter = await navigator.gpu.requestAdapter({powerPreference: 'high-performance'});
  if (gpuAdapter == null) throw new Error('navigator.gpu.requestAdapter() gave no adapter');
  const {info} = gpuAdapter;
  const gpuAdapterFields = {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
  };
  const options = (await (await fetch('/options.json')).json()) as EnvOptions;
  const reports = [];
  for (const backend of BROWSER_BACKENDS) {
    if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend failed to initialize`);
    await tf.ready();
    reports.push(
      await runBenchmark(tf, tfl, singleGateRNN, {
        ...options,
        adapter: backend === 'webgl' ? webglRenderer() : gpuAdapterFields,
        runtime: await browserName(),
        log: (line) => post('/progress', `${backend}: ${line}`),
      }),
    );
  }
  // One report, named after the WebGPU adapter; each record names its backend and adapter.
  await post('/report', JSON.stringify({...reports[0], records: reports.flatMap((r) => r.records)}));
}

main().catch((e: unknown) => {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  // The server ends the run when this arrives; if even this post fails, its timeout does.
  post('/error', message).catch(() => undefined);
});
