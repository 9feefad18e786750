/**
 * The wasm kernel on threads in Node (`npm run test:wasm-threads`; worker_threads always have
 * SharedArrayBuffer): setWasmThreads' argument checks, and per case the op on 2 and 3 threads against
 * the same call on 1 thread (bitwise: each thread does whole rows or column panels, so every sum keeps
 * its order) and against the cpu kernel (the wasm tolerance). The crossovers are dropped
 * (WASM_THREADS_ALWAYS_FLAG) so small shapes take the threaded path, and each case checks that its
 * call was planned on threads. Prints one line per case and "N passed, N failed"; exits non-zero on a
 * failure.
 */
import '@tensorflow/tfjs-backend-cpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import {join, sep} from 'node:path';

import {getWasmThreads, setWasmThreads} from '../../src/index.js';
import {threadPlan} from '../../kernels/wasm/threaded_recurrence.js';
import {WASM_THREADS_ALWAYS_FLAG} from '../../kernels/wasm/tuning.js';
import {expectArraysClose} from '../util/close.js';
import {withCpuReference} from '../util/cpu_reference.js';
import {NEURONS} from '../util/neurons.js';
import {makeProblem, type OpRun, type ProblemConfig, runOp} from '../util/problem.js';
import {WASM_TOLERANCE} from '../util/tolerance.js';

const TANH = NEURONS.tanh.usual;

/** Shapes around the split: one panel (steps stay on one thread), two, an odd count, masks, modes. */
const CASES: ProblemConfig[] = [
  {batch: 1, time: 6, inputChannels: 3, outputChannels: 8, neuron: TANH, seed: 1},
  {batch: 2, time: 7, inputChannels: 5, outputChannels: 40, neuron: TANH, initialState: true, seed: 2},
  {
    batch: 3,
    time: 9,
    inputChannels: 6,
    outputChannels: 70,
    neuron: TANH,
    backward: true,
    mask: 'random',
    seed: 3,
  },
  {
    batch: 5,
    time: 8,
    inputChannels: 33,
    outputChannels: 200,
    neuron: NEURONS.sigmoid.usual,
    mask: 'lengths',
    seed: 4,
  },
  {batch: 4, time: 5, inputChannels: 300, outputChannels: 261, neuron: TANH, float32Weights: true, seed: 5},
  {batch: 2, time: 6, inputChannels: 64, outputChannels: 64, neuron: TANH, unitTransform: true, seed: 6},
  {
    batch: 3,
    time: 4,
    inputChannels: 7,
    outputChannels: 96,
    neuron: TANH,
    inputWeights: 'null',
    initialState: true,
    seed: 7,
  },
  {batch: 2, time: 5, inputChannels: 7, outputChannels: 96, neuron: TANH, recurrentWeights: false, seed: 8},
  // A neuron the module does not apply itself: planned on one thread, still right.
  {batch: 2, time: 5, inputChannels: 7, outputChannels: 96, neuron: NEURONS.softplus.usual, seed: 9},
];

function expectSame(got: OpRun, expected: OpRun, what: string): void {
  for (const part of ['output', 'finalState'] as const) {
    const a = got[part];
    const b = expected[part];
    const at = a.findIndex((v, i) => !Object.is(v, b[i]));
    if (a.length !== b.length || at >= 0) {
      throw new Error(`${what} ${part}: expected the 1-thread bits, got ${a[at]} for ${b[at]} at ${at}`);
    }
  }
}

function plannedOnThreads(config: ProblemConfig): boolean {
  const unit = config.unitTransform ?? false;
  const projected = !unit && config.inputWeights !== 'null';
  const neuronCoded = config.neuron.type !== 'softplus';
  const uk = config.recurrentWeights === false ? 0 : config.outputChannels;
  const cols = Math.ceil(config.outputChannels / 4) * 4;
  const work = {rows: projected ? config.batch * config.time : 0, inChannels: config.inputChannels};
  return threadPlan({...work, batch: config.batch, uk, cols}, neuronCoded) != null;
}

async function expectRejects(call: () => Promise<void>, parts: string[]): Promise<void> {
  const message = await call().then(
    () => null,
    (e: unknown) => (e as Error).message,
  );
  if (message == null) throw new Error(`expected a rejection naming ${parts.join(', ')}`);
  for (const part of parts) {
    if (!message.includes(part)) throw new Error(`the message lacks '${part}': ${message}`);
  }
}

async function main(): Promise<void> {
  setWasmPaths(join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + sep);
  await import('@tensorflow/tfjs-backend-wasm');
  let passed = 0;
  let failed = 0;
  const check = async (name: string, body: () => Promise<void>) => {
    try {
      await body();
      passed++;
      console.log(`  ok    ${name}`);
    } catch (e) {
      failed++;
      console.log(`  FAIL  ${name}\n        ${(e as Error).message.split('\n').join('\n        ')}`);
    }
  };

  for (const bad of [0, -1, 1.5, 17, Number.NaN]) {
    await check(`setWasmThreads(${bad}) rejects`, async () => {
      await expectRejects(() => setWasmThreads(bad), ['threads', 'from 1 to 16', `got ${bad}`]);
      if (getWasmThreads() !== 1)
        throw new Error(`threads after a rejection: expected 1, got ${getWasmThreads()}`);
    });
  }

  for (const config of CASES) {
    const c = config;
    const name = `[${c.batch}, ${c.time}, ${c.inputChannels}, ${c.outputChannels}] seed ${c.seed}`;
    await check(name, async () => {
      const problem = makeProblem(config);
      await tf.setBackend('cpu');
      const reference = await withCpuReference(() => runOp(problem));
      await tf.setBackend('wasm');
      await setWasmThreads(1);
      const one = await runOp(problem);
      expectArraysClose(one.output, reference.output, WASM_TOLERANCE, {what: '1 thread, output'});
      tf.env().set(WASM_THREADS_ALWAYS_FLAG, true);
      try {
        for (const threads of [2, 3]) {
          await setWasmThreads(threads);
          if (getWasmThreads() !== threads) throw new Error(`getWasmThreads: expected ${threads}`);
          const planned = plannedOnThreads(config);
          const expectPlanned = config.neuron.type !== 'softplus';
          if (planned !== expectPlanned) throw new Error(`planned on threads: expected ${expectPlanned}`);
          const tensors = tf.memory().numTensors;
          const got = await runOp(problem);
          if (tf.memory().numTensors !== tensors) throw new Error('tensors left behind');
          expectSame(got, one, `${threads} threads`);
          expectArraysClose(got.output, reference.output, WASM_TOLERANCE, {
            what: `${threads} threads, output`,
          });
          const what = `${threads} threads, final state`;
          expectArraysClose(got.finalState, reference.finalState, WASM_TOLERANCE, {what});
        }
      } finally {
        tf.env().set(WASM_THREADS_ALWAYS_FLAG, false);
        await setWasmThreads(1);
      }
    });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
