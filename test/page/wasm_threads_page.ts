/**
 * The wasm threads cases (test/cases/wasm_threads.ts) in a browser page, bundled and served
 * cross-origin isolated by test/page/wasm_threads_run.ts. Reports on the body: data-state 'done' with
 * data-results (JSON: name, error or null), or 'failed' with data-error.
 */
import '@tensorflow/tfjs-backend-cpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';

import {wasmThreadsCases} from '../cases/wasm_threads.js';
import {plannedOnThreads} from '../util/wasm_threads_plan.js';

async function main(): Promise<void> {
  // The runner serves the wasm backend's binaries next to this page.
  setWasmPaths('./');
  if (!crossOriginIsolated) throw new Error('crossOriginIsolated: expected true, got false');
  const results: {name: string; error: string | null}[] = [];
  for (const c of wasmThreadsCases(plannedOnThreads)) {
    const error = await c.run().then(
      () => null,
      (e: unknown) => (e as Error).message,
    );
    results.push({name: c.name, error});
  }
  document.body.dataset.results = JSON.stringify(results);
  document.body.dataset.state = 'done';
}

main().catch((e: unknown) => {
  document.body.dataset.error = String(e);
  document.body.dataset.state = 'failed';
});
