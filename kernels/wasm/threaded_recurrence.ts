/**
 * The main thread's side of a threaded fused recurrence: whether a call is worth threads
 * (tuning.ts' crossovers), and running it as one job that the workers and this thread share
 * (thread_share.ts). fused_recurrence.ts lays out the operands in the pool's shared memory first.
 */
import {env} from '@tensorflow/tfjs-core';

import {blockedGemm} from './blocked_gemm.js';
import {PANEL_COLUMNS} from './recurrence_binary.js';
import {CONTROL, CONTROL_INTS, type Job, runShare} from './thread_share.js';
import {discardPool, postJob, type ThreadPool, threadPool} from './thread_pool.js';
import {
  WASM_THREADS_FLAG,
  WASM_THREADS_MIN_PROJECTION_WORK,
  WASM_THREADS_MIN_STEP_WORK,
  WASM_THREADS_STALL_MS,
} from './tuning.js';

env().registerFlag(WASM_THREADS_FLAG, () => 'auto');

/** How many threads each half of a call runs on (each the pool's count, or 1). */
export interface ThreadPlan {
  pool: ThreadPool;
  projThreads: number;
  stepThreads: number;
}

/** The sizes that decide it: rows of the projection (0: none), its depth, U's depth, padded units. */
export interface CallWork {
  rows: number;
  inChannels: number;
  batch: number;
  uk: number;
  cols: number;
}

/** Float offset of the operands in the pool's shared memory: after the control block. */
export const SHARED_BASE = CONTROL_INTS;

/**
 * The plan for a call, or null to run it on one thread: no pool, a neuron the module does not apply
 * itself (those run in JavaScript between steps, on this thread), WASM_THREADS_FLAG 'off', or too
 * little work in both halves.
 */
export function threadPlan(work: CallWork, moduleNeuron: boolean): ThreadPlan | null {
  const pool = threadPool();
  const mode = env().get(WASM_THREADS_FLAG);
  if (pool == null || !moduleNeuron || mode === 'off') return null;
  const always = mode === 'always';
  const projThreads =
    work.rows > 0 && (always || work.rows * work.inChannels * work.cols >= WASM_THREADS_MIN_PROJECTION_WORK);
  // Threads split U at panel boundaries: one panel leaves nothing to split.
  const panels = Math.ceil(work.cols / PANEL_COLUMNS);
  const stepThreads =
    panels > 1 && work.uk > 0 && (always || work.batch * work.uk * work.cols >= WASM_THREADS_MIN_STEP_WORK);
  if (!projThreads && !stepThreads) return null;
  return {pool, projThreads: projThreads ? pool.threads : 1, stepThreads: stepThreads ? pool.threads : 1};
}

/**
 * Runs `job` (threads and splits from `plan`) on the pool: the workers take it from the control block,
 * this thread does rank 0's share and returns when the last barrier is passed, so every thread's
 * writes are done. Without a barrier at all (one thread per half), there is no job to share.
 */
export function runThreaded(
  plan: ThreadPlan,
  job: Omit<Job, 'kind' | 'stallMs' | 'threads' | 'projThreads' | 'stepThreads'>,
): void {
  const {pool, projThreads, stepThreads} = plan;
  const full: Job = {
    ...job,
    ...{kind: 1, stallMs: WASM_THREADS_STALL_MS, threads: pool.threads, projThreads, stepThreads},
  };
  postJob(pool, full);
  const buffer = pool.module.memory.buffer;
  const views = {
    control: new Int32Array(buffer, 0, CONTROL_INTS),
    f32: new Float32Array(buffer),
    u8: new Uint8Array(buffer),
  };
  try {
    runShare(full, 0, pool.module.gemm, blockedGemm, views, CONTROL, PANEL_COLUMNS, false);
  } catch (e) {
    discardPool(pool);
    throw new Error(
      `SingleGateRNN on wasm: a worker thread stopped (${(e as Error).message}); the threads are stopped, ` +
        'and calls run on one thread until setWasmThreads starts new ones',
      {cause: e},
    );
  }
}
