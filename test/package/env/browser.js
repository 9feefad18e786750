/* global URL */
// Preloaded (node --import) before a README block marked `browser`: gives it what a page in a browser
// with WebGPU would. navigator.gpu comes from Dawn through the package's Node entry, before the block
// imports the webgpu backend; `location` is the page's address on the test server (PAGE_ORIGIN), which
// serves the models the blocks load by URLs relative to it, with the real `fetch`.
import {engine, findBackendFactory} from '@tensorflow/tfjs-core';
import {installNavigatorGpu} from 'tfjs-single-gate-rnn/node';

await installNavigatorGpu();

const origin = process.env.PAGE_ORIGIN;
if (origin == null || origin === '') throw new Error('PAGE_ORIGIN must name the test server');
Object.defineProperty(globalThis, 'location', {value: new URL('/index.html', origin), configurable: true});

// A block that imports the webgpu backend must run on it, not pass on the cpu because WebGPU failed.
process.on('exit', () => {
  const active = engine().backendName;
  if (findBackendFactory('webgpu') != null && active != null && active !== 'webgpu') {
    console.error(`the block imported the webgpu backend but ran on '${active}'`);
    process.exitCode = 1;
  }
});
