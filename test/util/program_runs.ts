/**
 * Which programs a webgpu call runs (kernels/webgpu/dispatch_steps.ts' observer), and whether each
 * came from a traced call's replay (kernels/webgpu/call_trace.ts), for specs of the recorded paths.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {observePrograms} from '../../kernels/webgpu/dispatch_steps.js';

/** One program run: its class name, and whether a trace's replay ran it (no program made). */
export interface ProgramRun {
  name: string;
  fromTrace: boolean;
}

/** What `body` gives, and the programs it runs on the active (webgpu) backend, in order. */
export async function programsRun<T>(body: () => Promise<T>): Promise<{result: T; runs: ProgramRun[]}> {
  const runs: ProgramRun[] = [];
  const backend = tf.backend() as WebGPUBackend;
  observePrograms(backend, (name, fromTrace) => runs.push({name, fromTrace}));
  try {
    return {result: await body(), runs};
  } finally {
    observePrograms(backend, null);
  }
}

/**
 * Programs prepare weights kept across calls outside any trace (new weights tensors need them again);
 * every other program of a call replayed from its trace comes from the replay.
 */
const KEPT_WEIGHTS_PROGRAMS = ['RecurrentWeightsProgram', 'ConvWeightsProgram'];

/** That the call whose program runs are `runs` was replayed from its trace, including `including`. */
export function expectReplayedFromTrace(runs: readonly ProgramRun[], including: string): void {
  const made = runs.filter((r) => !r.fromTrace && !KEPT_WEIGHTS_PROGRAMS.includes(r.name));
  expect(
    made.map((r) => r.name),
    'programs made for a call that has a trace',
  ).to.deep.equal([]);
  expect(
    runs.filter((r) => r.fromTrace).map((r) => r.name),
    'programs replayed from the trace',
  ).to.include(including);
}

/**
 * `body`'s result while the backend profiles: every dispatch through its own runWebGPUProgram, nothing
 * recorded or traced. `body` must call the op before its first await.
 */
export async function untracedRun<T>(body: () => Promise<T>): Promise<T> {
  let run: Promise<T> | null = null;
  await tf.time(() => void (run = body()));
  return run!;
}
