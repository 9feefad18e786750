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
 * Intermediates the call releases go through releaseIntermediate, which replays the release too.
 *
 * The key must determine everything the call does apart from its operands' data (shapes, attributes,
 * which operands are bound, which share data: see callKey); a trace is replayed only on operands that
 * share data exactly as those it was taken on did, since a position then stands for one tensor where
 * another call may pass two. While the backend profiles or only compiles, calls run as usual and are
 * not traced.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import {env, type DataId, type DataType, type TensorInfo} from '@tensorflow/tfjs-core';

import {MAX_TRACES} from './tuning.js';

/**
 * One traced piece of work: reads the tensors at `inputs`, writes the one at `output` (none for a
 * release).
 */
interface Entry {
  inputs: number[];
  output: number | null;
  /** Where the call made `output` for this entry: its shape and dtype. */
  made: {shape: number[]; dtype: DataType} | null;
  run: (backend: WebGPUBackend, inputs: TensorInfo[], output: TensorInfo | null) => void;
  /** False once what `run` replays is gone (a recording evicted). */
  valid: () => boolean;
}

interface Trace {
  entries: Entry[];
  /** The call's results: each one's position and shape (a result may view a tensor in another shape). */
  results: Array<{position: number; shape: number[]}>;
  /** Which operands share data (sharingOf), as the trace was taken. */
  sharing: string;
}

/** The trace being taken, with the positions of the tensors it has seen by their data. */
interface Taking {
  positions: Map<DataId, number>;
  /** How many operands the call has: the positions before this. */
  operands: number;
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
 * The key of a call on `operands` (null ones absent) with `attrs`: every shape, dtype and attribute
 * (nested ones too, as the pair kernel's per direction), and which operands share data, which with the
 * device determine all a call of this kernel does apart from its operands' data.
 */
export function callKey(
  operands: ReadonlyArray<TensorInfo | null | undefined>,
  attrs: Readonly<Record<string, unknown>>,
): string {
  let key = '';
  for (const t of operands) key += t == null ? '-|' : `${t.dtype}${t.shape.join('x')}|`;
  return key + sharingOf(operands) + attrsKey(attrs);
}

function attrsKey(attrs: Readonly<Record<string, unknown>>): string {
  let key = '{';
  // Names with the values: attributes made in another order must not read as the same call.
  for (const name in attrs) {
    const value = attrs[name];
    let text: string;
    if (Array.isArray(value)) text = JSON.stringify(value);
    else if (value != null && typeof value === 'object') text = attrsKey(value as Record<string, unknown>);
    else text = String(value);
    key += `${name}=${text},`;
  }
  return key + '}';
}

/**
 * Which operands share data: for each, the position of the first operand with its data ('' for none
 * shared at all, the common case).
 */
function sharingOf(operands: ReadonlyArray<TensorInfo | null | undefined>): string {
  let sharing = '';
  for (let i = 1; i < operands.length; i++) {
    const dataId = operands[i]?.dataId;
    if (dataId == null) continue;
    const first = operands.findIndex((t) => t?.dataId === dataId);
    if (first < i) sharing += `${i}=${first},`;
  }
  return sharing;
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
  if (untraceable(backend) || taking != null) return call();
  let cache = traces.get(backend);
  if (cache == null) {
    cache = new Map();
    traces.set(backend, cache);
  }
  const trace = cache.get(key);
  // The operands after the key's (kept tensors a kernel adds, as prepared weights) may share data too.
  const sharing = sharingOf(operands);
  if (trace != null && trace.sharing === sharing && trace.entries.every((entry) => entry.valid())) {
    return replayTrace(backend, trace, operands);
  }
  const positions = new Map<DataId, number>();
  // Operands that share data stand at the first one's position.
  for (let i = operands.length - 1; i >= 0; i--) {
    const t = operands[i];
    if (t != null) positions.set(t.dataId, i);
  }
  const current: Taking = {
    positions,
    operands: operands.length,
    next: operands.length,
    entries: [],
    complete: true,
  };
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
    cache.set(key, {
      entries: current.entries,
      results: results.map((t, i) => ({position: resultPositions[i], shape: [...t.shape]})),
      sharing,
    });
  }
  return results;
}

function replayTrace(
  backend: WebGPUBackend,
  trace: Trace,
  operands: ReadonlyArray<TensorInfo | null | undefined>,
): TensorInfo[] {
  const tensors = operands.slice() as TensorInfo[];
  for (const {inputs, output, made, run} of trace.entries) {
    if (output != null && made != null) tensors[output] = backend.makeTensorInfo(made.shape, made.dtype);
    run(
      backend,
      inputs.map((i) => tensors[i]),
      output == null ? null : tensors[output],
    );
  }
  return trace.results.map(({position, shape}) => {
    const {dataId, dtype} = tensors[position];
    return {dataId, shape, dtype};
  });
}

/**
 * Adds work the call being traced (if any) just did: `run` repeats it on other tensors in the same
 * positions. An input the trace has not seen (made outside the call's operands and work) makes the
 * trace incomplete; an output it has not seen is a tensor the call made.
 */
export function noteWork(
  inputs: readonly TensorInfo[],
  output: TensorInfo,
  run: (backend: WebGPUBackend, inputs: TensorInfo[], output: TensorInfo) => void,
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
  taking.entries.push({
    inputs: positions as number[],
    output: position,
    made,
    run: (b, ins, out) => run(b, ins, out!),
    valid,
  });
}

/**
 * Releases `intermediate`, a tensor the call made and its work no longer reads (the backend defers
 * the release of a buffer that queued work uses until the submit); its replays release theirs at the
 * same point.
 */
export function releaseIntermediate(backend: WebGPUBackend, intermediate: TensorInfo): void {
  backend.disposeData(intermediate.dataId);
  if (taking == null) return;
  const position = taking.positions.get(intermediate.dataId);
  // Only a tensor the call made: an operand is the caller's to release.
  if (position == null || position < taking.operands) {
    taking.complete = false;
    return;
  }
  taking.entries.push({
    inputs: [position],
    output: null,
    made: null,
    run: (b, [t]) => void b.disposeData(t.dataId),
    valid: () => true,
  });
}

/** Marks the call being traced (if any) as one that cannot be replayed. */
export function noteUntraceable(): void {
  if (taking != null) taking.complete = false;
}
