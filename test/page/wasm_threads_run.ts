/**
 * The wasm threads cases in headless Chromium (`npm run test:wasm-threads:page`): bundles
 * test/page/wasm_threads_page.ts, serves it with the wasm backend's binaries from a page made
 * cross-origin isolated by COOP/COEP headers (scripts/serve.js; the karma run stays unisolated, since
 * isolation changes which binary tfjs-backend-wasm picks for every spec), and reports each case.
 * Exits non-zero on a failure, a console error, or a page that is not isolated.
 */
import {copyFile, mkdir, readdir, writeFile} from 'node:fs/promises';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';

import {build} from 'esbuild';

import {serve} from '../../scripts/serve.js';
import {collectErrors, launchChromium} from './browser.js';

const OUT = join('build', 'wasm-threads-page');
const WASM_DIST = join('node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const PAGE_TIMEOUT_MS = 120_000;

async function main(): Promise<void> {
  await mkdir(OUT, {recursive: true});
  await build({
    entryPoints: [join('test', 'page', 'wasm_threads_page.ts')],
    outfile: join(OUT, 'page.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    alias: {'tfjs-single-gate-rnn': './src/index.ts'},
    logLevel: 'error',
  });
  for (const file of await readdir(WASM_DIST)) {
    if (file.endsWith('.wasm')) await copyFile(join(WASM_DIST, file), join(OUT, file));
  }
  await writeFile(
    join(OUT, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>wasm threads</title><link rel="icon" href="data:,"><script type="module" src="page.js"></script>\n',
  );
  const server = await serve(OUT, 0, {isolated: true});
  const browser = await launchChromium();
  let failed = 0;
  try {
    const page = await browser.newPage();
    const errors = collectErrors(page);
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    // The body has no content, so it never counts as visible: wait for the attribute alone.
    await page.waitForSelector('body[data-state]', {state: 'attached', timeout: PAGE_TIMEOUT_MS});
    const data = await page.$eval('body', (b) => ({...(b as HTMLElement).dataset}));
    if (data.state !== 'done') throw new Error(`the page failed: ${data.error}`);
    const results = JSON.parse(data.results ?? '[]') as {name: string; error: string | null}[];
    if (results.length === 0) throw new Error('the page ran no case');
    for (const r of results) {
      if (r.error == null) console.log(`  ok    ${r.name}`);
      else console.log(`  FAIL  ${r.name}\n        ${r.error.split('\n').join('\n        ')}`);
      if (r.error != null) failed++;
    }
    for (const e of errors) console.log(`  FAIL  page error: ${e}`);
    failed += errors.length;
    console.log(`${results.length - failed} passed, ${failed} failed (${browser.version()})`);
  } finally {
    await browser.close();
    server.close();
  }
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
