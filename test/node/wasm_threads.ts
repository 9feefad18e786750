/**
 * The wasm kernel on threads in Node (`npm run test:wasm-threads`; worker_threads always have
 * SharedArrayBuffer): the cases of test/cases/wasm_threads.ts, and that a process which leaves its
 * workers running still exits (this file run again with LEAVE_THREADS: workers blocked waiting for
 * a job must not hold Node open), and that a call whose worker died fails after
 * WASM_THREADS_STALL_MS instead of hanging, leaving one thread. Prints one line per case and "N passed, N failed"; exits non-zero
 * on a failure.
 */
import '@tensorflow/tfjs-backend-cpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import {spawnSync} from 'node:child_process';
import {join, sep} from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import {getWasmThreads, setWasmThreads} from 'tfjs-single-gate-rnn';
import {threadPool} from '../../kernels/wasm/thread_pool.js';
import {WASM_THREADS_FLAG, WASM_THREADS_STALL_MS} from '../../kernels/wasm/tuning.js';
import {NEURONS} from '../util/neurons.js';
import {makeProblem, runOp} from '../util/problem.js';

import {wasmThreadsCases} from '../cases/wasm_threads.js';
import {plannedOnThreads} from '../util/wasm_threads_plan.js';
import {runCasesAndExit} from './case_runner.js';

async function main(): Promise<void> {
  // Bundled, the wasm backend cannot find its binaries next to itself: point it at the package's.
  setWasmPaths(join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + sep);
  if (process.env.LEAVE_THREADS) {
    await setWasmThreads(2);
    return;
  }
  const exits = {
    name: 'a process that leaves its threads running exits',
    run: () => {
      const child = spawnSync(process.execPath, [process.argv[1]], {
        env: {...process.env, LEAVE_THREADS: '1'},
        timeout: 30_000,
      });
      if (child.status !== 0) {
        throw new Error(`exit status: expected 0, got ${child.status} (signal ${child.signal})`);
      }
      return Promise.resolve();
    },
  };
  const stalls = {
    name: `a call whose worker died fails within ${WASM_THREADS_STALL_MS} ms and leaves one thread`,
    run: async () => {
      const problem = makeProblem({
        ...{batch: 2, time: 4, inputChannels: 3, outputChannels: 64, neuron: NEURONS.tanh.usual},
      });
      await tf.setBackend('wasm');
      await setWasmThreads(2);
      threadPool()!.workers[0].terminate();
      await new Promise((resolve) => setTimeout(resolve, 200));
      tf.env().set(WASM_THREADS_FLAG, 'always');
      try {
        const message = await runOp(problem).then(
          () => null,
          (e: unknown) => (e as Error).message,
        );
        if (message == null || !message.includes('a worker thread stopped')) {
          throw new Error(`expected the call to fail naming the stopped worker, got ${message}`);
        }
        if (getWasmThreads() !== 1) throw new Error(`threads after: expected 1, got ${getWasmThreads()}`);
        await runOp(problem);
      } finally {
        tf.env().set(WASM_THREADS_FLAG, 'auto');
        await setWasmThreads(1);
      }
    },
  };
  await runCasesAndExit([...wasmThreadsCases(plannedOnThreads), exits, stalls], (c) => c.run());
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
