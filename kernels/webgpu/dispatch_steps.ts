/**
 * What a run of dispatches of one program is made of (its steps' uniforms, and the key a recording is
 * found by), and a way for specs to see which programs run, recorded or replayed.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';

import type {ProgramUniformData} from './uniforms.js';

/**
 * The uniforms of a run of `count` dispatches of one program. `key` must determine every entry (the
 * recording is found by it); stepsOver and singleStep build both from one source.
 */
export interface Steps {
  count: number;
  at(step: number): ProgramUniformData;
  key: string;
}

function keyOf(values: ProgramUniformData): string {
  return values.map((v) => v.data.join(',')).join(';');
}

/** One dispatch with `uniforms`. */
export function singleStep(uniforms: ProgramUniformData): Steps {
  return {count: 1, at: () => uniforms, key: keyOf(uniforms)};
}

/**
 * One dispatch per `stepsPerDispatch` steps of a sequence of `time`, its uniforms `uniformsOf(begin,
 * end)`. Those may depend on begin and end and on values fixed for the call only, so the first entry
 * and the count determine them all.
 */
export function stepsOver(
  time: number,
  stepsPerDispatch: number,
  uniformsOf: (stepBegin: number, stepEnd: number) => ProgramUniformData,
): Steps {
  const count = Math.ceil(time / stepsPerDispatch);
  const at = (k: number): ProgramUniformData =>
    uniformsOf(k * stepsPerDispatch, Math.min((k + 1) * stepsPerDispatch, time));
  return {count, at, key: `${count}/${keyOf(at(0))}`};
}

/** Kept on the backend under a registered symbol: a test's copy of this module sees the package's. */
export const OBSERVER = Symbol.for('singleGateRNN.observePrograms');
export type Observed = {[OBSERVER]?: ProgramObserver | null};

/** Told of each program run: its class name, and whether a traced call's replay ran it (call_trace.ts). */
type ProgramObserver = (programName: string, fromTrace: boolean) => void;

/**
 * Calls `onRun` with the class name of every program run on `backend` from here on, recorded or
 * replayed (a replay passes the backend by, so wrapping runWebGPUProgram no longer sees every run);
 * null stops. A run replayed from a call's trace comes with `fromTrace`: no program was made for it.
 */
export function observePrograms(backend: WebGPUBackend, onRun: ProgramObserver | null): void {
  (backend as Observed)[OBSERVER] = onRun;
}
