/**
 * A kernel call's whole sequence of GPU work, traced on its first run for a configuration and replayed
 * on later ones. Each dispatch is already recorded (recorded_dispatches.ts), but a call still built its
 * programs, packed their uniforms, planned the recurrence, checked its buffers and made the keys that
 * find each recording: on a small call, most of its host time. A trace keeps, in order, what the call
 * ran (a recorded run of dispatches, a buffer copy) and on which tensors, by position: the call's
 * operands first, then each tensor the call made. A replay makes the same new tensors and reruns each
 * entry on the new call's tensors; nothing else of the call runs.
 *
 * Every piece of GPU work of a traced call must go through runSteps (recorded_dispatches.ts) or
 * copyRanges (buffer_copies.ts), which report it here: other work would be missing from its replays.
 * The key must determine everything the call does apart from its operands' data (shapes, attributes,
 * which operands are bound); a call whose operands share data is never traced, since the positions
 * would then stand for one tensor where a later call may pass two. While the backend profiles or only
 * compiles, calls run as usual and are not traced.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import {env, type DataId, type DataType, type TensorInfo} from '@tensorflow/tfjs-core';

import {MAX_TRACES} from './tuning.js';

/** One traced piece of work: reads the tensors at `inputs`, writes the one at `output`. */
interface Entry {
  inputs: number[];
  output: number;
  /** Where the call made `output` for this entry: its shape and dtype. */
  made: {shape: number[]; dtype: DataType} | null;
  run: (backend: WebGPUBackend, inputs: TensorInfo[], output: TensorInfo) => void;
  /** False once what `run` replays is gone (a recording evicted). */
  valid: () => boolean;
}

interface Trace {
  entries: Entry[];
  /** Positions of the call's results. */
  results: number[];
}

/** The trace being taken, with the positions of the tensors it has seen by their data. */
interface Taking {
  positions: Map<DataId, number>;
  /** The position of the next tensor the call makes. */
  next: number;
  entries: Entry[];
  complete: boolean;
}

const traces = new WeakMap<WebGPUBackend, Map<string, Trace>>();
let taking: Taking | null = null;

/** Whether calls on `backend` run as usual now: it profiles (tf.time) or only compiles. */
export function untraceable(backend: WebGPUBackend): boolean {
  return (
    (backend as unknown as {activeTimers: unknown}).activeTimers != null ||
    env().getBool('WEBGPU_ENGINE_COMPILE_ONLY')
  );
}

/**
 * The key of a call on `operands` (null ones absent) with `attrs`: every shape, dtype and attribute,
 * which with the device determine all a call of this kernel does apart from its operands' data.
 */
export function callKey(
  operands: ReadonlyArray<TensorInfo | null | undefined>,
  attrs: Readonly<Record<string, unknown>>,
): string {
  let key = '';
  for (const t of operands) key += t == null ? '-|' : `${t.dtype}${t.shape.join('x')}|`;
  // Names with the values: attributes made in another order must not read as the same call.
  for (const name in attrs) key += `${name}=${String(attrs[name])},`;
  return key;
}

/** Whether a traced call of `key` can be replayed on `backend`. */
export function hasTrace(backend: WebGPUBackend, key: string): boolean {
  return traces.get(backend)?.has(key) ?? false;
}

/**
 * The results of `call` on `operands` (null ones are absent): replayed from the trace of `key` where
 * there is one, else run and traced.
 */
export function tracedCall(
  backend: WebGPUBackend,
  key: string,
  operands: ReadonlyArray<TensorInfo | null | undefined>,
  call: () => TensorInfo[],
): TensorInfo[] {
  if (untraceable(backend) || taking != null || !distinct(operands)) return call();
  let cache = traces.get(backend);
  if (cache == null) {
    cache = new Map();
    traces.set(backend, cache);
  }
  const trace = cache.get(key);
  if (trace != null && trace.entries.every((entry) => entry.valid())) {
    return replayTrace(backend, trace, operands);
  }
  const positions = new Map<DataId, number>();
  operands.forEach((t, i) => t != null && positions.set(t.dataId, i));
  const current: Taking = {positions, next: operands.length, entries: [], complete: true};
  taking = current;
  let results: TensorInfo[];
  try {
    results = call();
  } finally {
    taking = null;
  }
  const resultPositions = results.map((t) => current.positions.get(t.dataId));
  cache.delete(key);
  if (current.complete && resultPositions.every((p) => p != null)) {
    if (cache.size >= MAX_TRACES) cache.delete(cache.keys().next().value!);
    cache.set(key, {entries: current.entries, results: resultPositions});
  }
  return results;
}

function distinct(operands: ReadonlyArray<TensorInfo | null | undefined>): boolean {
  for (let i = 0; i < operands.length; i++) {
    for (let j = i + 1; j < operands.length; j++) {
      if (operands[i] != null && operands[i]?.dataId === operands[j]?.dataId) return false;
    }
  }
  return true;
}

function replayTrace(
  backend: WebGPUBackend,
  trace: Trace,
  operands: ReadonlyArray<TensorInfo | null | undefined>,
): TensorInfo[] {
  const tensors = operands.slice() as TensorInfo[];
  for (const {inputs, output, made, run} of trace.entries) {
    if (made != null) tensors[output] = backend.makeTensorInfo(made.shape, made.dtype);
    run(
      backend,
      inputs.map((i) => tensors[i]),
      tensors[output],
    );
  }
  return trace.results.map((i) => tensors[i]);
}

/**
 * Adds work the call being traced (if any) just did: `run` repeats it on other tensors in the same
 * positions. An input the trace has not seen (made outside the call's operands and work) makes the
 * trace incomplete; an output it has not seen is a tensor the call made.
 */
export function noteWork(
  inputs: readonly TensorInfo[],
  output: TensorInfo,
  run: Entry['run'],
  valid: Entry['valid'] = () => true,
): void {
  if (taking == null) return;
  const positions = inputs.map((t) => taking!.positions.get(t.dataId));
  if (positions.some((p) => p == null)) {
    taking.complete = false;
    return;
  }
  let position = taking.positions.get(output.dataId);
  let made: Entry['made'] = null;
  if (position == null) {
    position = taking.next++;
    taking.positions.set(output.dataId, position);
    made = {shape: [...output.shape], dtype: output.dtype};
  }
  taking.entries.push({inputs: positions as number[], output: position, made, run, valid});
}

/** Marks the call being traced (if any) as one that cannot be replayed. */
export function noteUntraceable(): void {
  if (taking != null) taking.complete = false;
}
