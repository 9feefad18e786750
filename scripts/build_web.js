/**
 * Builds the demo page into build/web (`npm run demo:web:build`): the page, its stylesheet, the
 * bundled sine model and one ES module bundle of the page's code with tfjs and the package's sources.
 * The folder is plain static files: any static host serves it as it is.
 */
import {cp, mkdir, rm} from 'node:fs/promises';
import {join} from 'node:path';

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
await cp(join('demo', 'model'), join(OUT, 'model'), {recursive: true});
console.log(`built ${OUT}`);
