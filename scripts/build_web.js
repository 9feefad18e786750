/**
 * Builds the demo page into build/web (`npm run demo:web:build`): the page, its stylesheet, the
 * bundled sine model, the wasm backend's binaries and one ES module bundle of the page's code with tfjs and the package's sources.
 * The folder is plain static files: any static host serves it as it is.
 */
import {cp, mkdir, readdir, rm} from 'node:fs/promises';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';

import {build} from 'esbuild';

const OUT = join('build', 'web');

await rm(OUT, {recursive: true, force: true});
await mkdir(OUT, {recursive: true});
await build({
  entryPoints: ['demo/web/main.ts'],
  outfile: join(OUT, 'main.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
});
await cp(join('demo', 'web', 'index.html'), join(OUT, 'index.html'));
await cp(join('demo', 'web', 'style.css'), join(OUT, 'style.css'));
await cp(join('demo', 'web', 'favicon.svg'), join(OUT, 'favicon.svg'));
await cp(join('demo', 'model'), join(OUT, 'model'), {recursive: true});
// The wasm backend's binaries, which the page points setWasmPaths at.
const wasmDist = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')));
await mkdir(join(OUT, 'wasm'), {recursive: true});
for (const file of (await readdir(wasmDist)).filter((f) => f.endsWith('.wasm'))) {
  await cp(join(wasmDist, file), join(OUT, 'wasm', file));
}
console.log(`built ${OUT}`);
