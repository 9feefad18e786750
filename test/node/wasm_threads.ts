/**
 * The wasm kernel on threads in Node (`npm run test:wasm-threads`; worker_threads always have
 * SharedArrayBuffer): the cases of test/cases/wasm_threads.ts. Prints one line per case and
 * "N passed, N failed"; exits non-zero on a failure.
 */
import '@tensorflow/tfjs-backend-cpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import {join, sep} from 'node:path';

import {wasmThreadsCases} from '../cases/wasm_threads.js';
import {plannedOnThreads} from '../util/wasm_threads_plan.js';

async function main(): Promise<void> {
  // Bundled, the wasm backend cannot find its binaries next to itself: point it at the package's.
  setWasmPaths(join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + sep);
  let passed = 0;
  let failed = 0;
  for (const c of wasmThreadsCases(plannedOnThreads)) {
    try {
      await c.run();
      passed++;
      console.log(`  ok    ${c.name}`);
    } catch (e) {
      failed++;
      console.log(`  FAIL  ${c.name}\n        ${(e as Error).message.split('\n').join('\n        ')}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
