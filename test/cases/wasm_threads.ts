/**
 * The wasm kernel's threads, as named cases both runners take: test/node/wasm_threads.ts (Node,
 * worker_threads) and test/page/wasm_threads_page.ts (Chromium, a cross-origin isolated page). Per
 * shape, the op on 2 and 3 threads against the same call on 1 thread (bitwise: each thread does whole
 * rows or column panels, so every sum keeps its order) and against the cpu kernel (the wasm
 * tolerance), with the crossovers dropped (WASM_THREADS_FLAG 'always') so small shapes take the
 * threaded path, each checking that its call was planned on threads; and setWasmThreads' argument
 * checks. The runner sets the wasm backend's paths first.
 *
 * The karma spec (test/wasm_threads.spec.ts) runs them only on a cross-origin isolated page.
 */
import * as tf from '@tensorflow/tfjs-core';

import {getWasmThreads, setWasmThreads} from 'tfjs-single-gate-rnn';
import {WASM_THREADS_FLAG} from '../../kernels/wasm/tuning.js';
import {expectArraysClose} from '../util/close.js';
import {withCpuReference} from '../util/cpu_reference.js';
import {NEURONS} from '../util/neurons.js';
import {makeProblem, type OpRun, type ProblemConfig, runOp} from '../util/problem.js';
import {WASM_TOLERANCE} from '../util/tolerance.js';

export interface ThreadsCase {
  name: string;
  run: () => Promise<void>;
}

const TANH = NEURONS.tanh.usual;

/** Shapes around the split: one panel (steps stay on one thread), two, an odd count, masks, modes. */
export const CASES: ProblemConfig[] = [
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

/**
 * Whether the kernel plans `config`'s call on threads (test/util/wasm_threads_plan.ts): passed in by
 * runners that bundle the kernels from source; karma's specs run the built package, whose kernels a
 * source import would not see, and leave it out (no plan check).
 */
export type PlannedOnThreads = (config: ProblemConfig) => boolean;

/** Every case: the argument checks, then the shapes. */
export function wasmThreadsCases(plannedOnThreads?: PlannedOnThreads): ThreadsCase[] {
  const bad = [0, -1, 1.5, 17, Number.NaN].map((threads) => ({
    name: `setWasmThreads(${threads}) rejects`,
    run: async () => {
      await expectRejects(() => setWasmThreads(threads), ['threads', 'from 1 to 16', `got ${threads}`]);
      if (getWasmThreads() !== 1)
        throw new Error(`threads after a rejection: expected 1, got ${getWasmThreads()}`);
    },
  }));
  const shapes = CASES.map((c) => ({
    name: `[${c.batch}, ${c.time}, ${c.inputChannels}, ${c.outputChannels}] seed ${c.seed}`,
    run: () => checkShape(c, plannedOnThreads),
  }));
  return [...bad, ...shapes];
}

async function checkShape(config: ProblemConfig, plannedOnThreads?: PlannedOnThreads): Promise<void> {
  const problem = makeProblem(config);
  await tf.setBackend('cpu');
  const reference = await withCpuReference(() => runOp(problem));
  await tf.setBackend('wasm');
  await setWasmThreads(1);
  const one = await runOp(problem);
  expectArraysClose(one.output, reference.output, WASM_TOLERANCE, {what: '1 thread, output'});
  tf.env().set(WASM_THREADS_FLAG, 'always');
  try {
    for (const threads of [2, 3]) {
      await setWasmThreads(threads);
      if (getWasmThreads() !== threads) throw new Error(`getWasmThreads: expected ${threads}`);
      const expectPlanned = config.neuron.type !== 'softplus';
      if (plannedOnThreads && plannedOnThreads(config) !== expectPlanned)
        throw new Error(`planned on threads: expected ${expectPlanned}, got ${!expectPlanned}`);
      const tensors = tf.memory().numTensors;
      const got = await runOp(problem);
      if (tf.memory().numTensors !== tensors) throw new Error('tensors left behind');
      expectSame(got, one, `${threads} threads`);
      expectArraysClose(got.output, reference.output, WASM_TOLERANCE, {what: `${threads} threads, output`});
      const what = `${threads} threads, final state`;
      expectArraysClose(got.finalState, reference.finalState, WASM_TOLERANCE, {what});
    }
  } finally {
    tf.env().set(WASM_THREADS_FLAG, 'auto');
    await setWasmThreads(1);
  }
}
