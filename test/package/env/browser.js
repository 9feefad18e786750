/* global Response, URL */
// Preloaded (node --import) before a README block marked `browser`: gives it what a browser with WebGPU
// would. navigator.gpu comes from Dawn through the package's Node entry, before the block imports the
// webgpu backend; fetch serves https://example.com/<name>/<file> from the model folders that the runner
// passes in README_MODELS ({"<name>": "<folder>"}) and fails like a network error for anything else.
import {readFile} from 'node:fs/promises';
import {basename, join} from 'node:path';

import {engine, findBackendFactory} from '@tensorflow/tfjs-core';
import {installNavigatorGpu} from 'tfjs-single-gate-rnn/node';

await installNavigatorGpu();

// A block that imports the webgpu backend must run on it, not pass on the cpu because WebGPU failed.
process.on('exit', () => {
  const active = engine().backendName;
  if (findBackendFactory('webgpu') != null && active != null && active !== 'webgpu') {
    console.error(`the block imported the webgpu backend but ran on '${active}'`);
    process.exitCode = 1;
  }
});

const ORIGIN = 'https://example.com';
const models = JSON.parse(process.env.README_MODELS ?? '{}');

globalThis.fetch = async (input) => {
  const url = new URL(typeof input === 'string' ? input : input.url);
  const [, name, file, ...rest] = url.pathname.split('/');
  const folder = models[name];
  if (url.origin !== ORIGIN || folder == null || file == null || rest.length > 0 || basename(file) !== file) {
    throw new TypeError(
      `fetch failed: the README's test network serves ${ORIGIN}/<model>/<file> only, got ${url}`,
    );
  }
  const body = await readFile(join(folder, file)).catch(() => null);
  if (body == null) return new Response(null, {status: 404, statusText: 'Not Found'});
  const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  return new Response(body, {status: 200, headers: {'content-type': type}});
};
