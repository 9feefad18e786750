/**
 * Every dispatch of this kernel's programs goes through here: recorded on its first run for a program
 * and uniforms, replayed on later ones. Through runWebGPUProgram a dispatch costs the backend's full
 * per-program bookkeeping on the host (shader key, input shapes, a uniform buffer from its pool packed
 * and uploaded, a bind group layout and a bind group): tens of microseconds, more than the GPU needs
 * for a small program or a recurrence step. A recording keeps, per program shader and uniform values:
 * - the pipeline and its bind group layout, and the dispatch size (as the backend folded it);
 * - the packed uniforms in a buffer of its own, one 256-byte slot per step, as the backend packs them
 *   (so the bytes are in the backend's own layout);
 * - bind groups per set of bound buffers (the backend's pool hands the same buffers back to a call
 *   repeated at one shape, so after the first call a replay creates nothing).
 * A replay then records only setBindGroup and dispatchWorkgroups into the backend's open compute pass.
 *
 * The backend has no public way to do this: this reaches its uniform packing, its open compute pass and
 * the bookkeeping a dispatch updates (the tensors the queued work uses, the dispatch count). All of
 * these are private in its typings; that reach is kept to this file. While the backend profiles
 * (tf.time, tf.profile) or only compiles, every dispatch goes through runWebGPUProgram as usual.
 */
import type {WebGPUBackend, WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';
import {env, type DataId, type DataType, type TensorInfo} from '@tensorflow/tfjs-core';

import {noteUntraceable, noteWork} from './call_trace.js';
import {MAX_RECORDINGS, STEPS_PER_SUBMIT} from './tuning.js';
import {OBSERVER, type Observed, singleStep, type Steps} from './dispatch_steps.js';
import type {ProgramUniformData} from './uniforms.js';
import {packedBytes} from './uniform_packing.js';

type UniformBinding = GPUBufferBinding & {buffer: GPUBuffer; size: number};

interface DispatchInternals {
  activeTimers: unknown;
  commandEncoder: GPUCommandEncoder | null;
  computePassEncoder: GPUComputePassEncoder | null;
  commandQueueOwnedIds: WeakSet<DataId>;
  dispatchCountInPass: number;
  makeUniforms(uniforms: ProgramUniformData): UniformBinding;
}

interface Recording {
  pipeline: GPUComputePipeline;
  layout: GPUBindGroupLayout;
  dispatch: [number, number, number];
  uniforms: GPUBuffer;
  slot: number;
  size: number;
  /** Per set of bound buffers (their ids), one bind group per step. */
  bindGroups: Map<string, GPUBindGroup[]>;
  /** Set once evicted: its uniforms are gone, so a traced call (call_trace.ts) must not replay it. */
  evicted?: true;
}

const SLOT_ALIGNMENT = 256;
const recordings = new WeakMap<WebGPUBackend, Map<string, Recording>>();
const bufferIds = new WeakMap<GPUBuffer, number>();
let nextBufferId = 0;

function idOf(buffer: GPUBuffer): number {
  let id = bufferIds.get(buffer);
  if (id == null) {
    id = nextBufferId++;
    bufferIds.set(buffer, id);
  }
  return id;
}

/**
 * Runs the program `makeProgram` makes once per step of `steps`, in order, on `inputs`, writing into
 * `output` (in place, as runWebGPUProgram with that output would) or into a new tensor of the
 * program's output shape and `dtype`; returns the output. A factory, not a program: runWebGPUProgram
 * extends a program's shaderKey each time it runs it, so each run through it needs a fresh one.
 */
export function runSteps(
  backend: WebGPUBackend,
  makeProgram: () => WebGPUProgram,
  inputs: TensorInfo[],
  steps: Steps,
  output: TensorInfo | {dtype: DataType},
): TensorInfo {
  const program = makeProgram();
  const name = program.constructor.name;
  (backend as Observed)[OBSERVER]?.(name, false);
  const internals = backend as unknown as DispatchInternals;
  const fallback = internals.activeTimers != null || env().getBool('WEBGPU_ENGINE_COMPILE_ONLY');
  let out: TensorInfo =
    'dataId' in output ? output : backend.makeTensorInfo(program.outputShape, output.dtype);
  if (fallback || out.shape.some((d) => d === 0)) {
    noteUntraceable();
    for (let k = 0; k < steps.count; k++) {
      out = backend.runWebGPUProgram(k === 0 ? program : makeProgram(), inputs, out.dtype, steps.at(k), out);
    }
    return out;
  }
  const key = [
    program.shaderKey,
    ...inputs.map((t) => `${t.dtype}${t.shape.join('x')}`),
    `${out.dtype}${out.shape.join('x')}`,
    steps.key,
  ].join('|');
  const cache = recordingsOf(backend);
  let recording = cache.get(key);
  let first = 0;
  if (recording == null) {
    const made = record(backend, program, inputs, steps, out);
    if (made == null) {
      noteUntraceable();
      for (let k = 1; k < steps.count; k++) {
        backend.runWebGPUProgram(makeProgram(), inputs, out.dtype, steps.at(k), out);
      }
      return out;
    }
    recording = made;
    first = 1;
    if (cache.size >= MAX_RECORDINGS) evictOldest(backend, cache);
    cache.set(key, recording);
  }
  replay(backend, recording, inputs, out, first, steps.count);
  const traced = recording;
  noteWork(
    inputs,
    out,
    (b, ins, o) => {
      (b as Observed)[OBSERVER]?.(name, true);
      replay(b, traced, ins, o, 0, steps.count);
    },
    () => traced.evicted == null,
  );
  return out;
}

/**
 * The first step through runWebGPUProgram (which compiles or finds the pipeline and packs the
 * uniforms), then every step's packed uniforms copied into a buffer of the recording's own.
 */
function record(
  backend: WebGPUBackend,
  program: WebGPUProgram,
  inputs: TensorInfo[],
  steps: Steps,
  output: TensorInfo,
): Recording | null {
  const internals = backend as unknown as DispatchInternals;
  let packed: ProgramUniformData | null = null;
  let binding: UniformBinding | null = null;
  const own = Object.getOwnPropertyDescriptor(backend, 'makeUniforms');
  const makeUniforms = internals.makeUniforms.bind(backend);
  internals.makeUniforms = (uniforms) => {
    packed = uniforms;
    binding = makeUniforms(uniforms);
    return binding;
  };
  try {
    backend.runWebGPUProgram(program, inputs, output.dtype, steps.at(0), output);
  } finally {
    if (own != null) Object.defineProperty(backend, 'makeUniforms', own);
    else delete (internals as Partial<DispatchInternals>).makeUniforms;
  }
  const pipeline = program.pipeline;
  // Assigned in the callback above, which the compiler's flow analysis does not see.
  const firstPacked = packed as ProgramUniformData | null;
  const firstBinding = binding as UniformBinding | null;
  if (firstPacked == null || firstBinding == null || pipeline == null || pipeline instanceof Promise) {
    return null;
  }
  // The backend packs its own fields (shapes, strides, ...) first and the program's after them.
  const all: ProgramUniformData = firstPacked;
  const common = all.slice(0, all.length - steps.at(0).length);
  const size = firstBinding.size;
  const slot = Math.ceil(size / SLOT_ALIGNMENT) * SLOT_ALIGNMENT;
  const uniforms = backend.device.createBuffer({
    size: slot * steps.count,
    usage: GPUBufferUsage.UNIFORM,
    mappedAtCreation: true,
  });
  const slots = new Uint8Array(uniforms.getMappedRange());
  for (let k = 0; k < steps.count; k++) {
    const bytes = packedBytes(backend, [...common, ...steps.at(k)]);
    if (bytes.byteLength !== size) {
      throw new Error(
        `SingleGateRNN on webgpu: step ${k} packs ${bytes.byteLength} uniform bytes, step 0 ${size}`,
      );
    }
    slots.set(new Uint8Array(bytes), k * slot);
  }
  uniforms.unmap();
  return {
    pipeline,
    layout: pipeline.getBindGroupLayout(0),
    dispatch: [...program.dispatch],
    uniforms,
    slot,
    size,
    bindGroups: new Map(),
  };
}

/** Steps [first, end) of `recording` into the backend's open compute pass. */
function replay(
  backend: WebGPUBackend,
  recording: Recording,
  inputs: TensorInfo[],
  output: TensorInfo,
  first: number,
  end: number,
): void {
  if (first >= end) return;
  const internals = backend as unknown as DispatchInternals;
  const tensors = [output, ...inputs];
  for (const t of tensors) backend.uploadToGPU(t.dataId);
  const buffers = tensors.map((t) => backend.tensorMap.get(t.dataId).resource as GPUBuffer);
  const bindGroups = bindGroupsFor(backend, recording, buffers, end);
  backend.ensureCommandEncoderReady();
  let pass = internals.computePassEncoder;
  const [x, y, z] = recording.dispatch;
  for (let k = first; k < end; k++) {
    if (pass == null) {
      pass = internals.commandEncoder!.beginComputePass({});
      internals.computePassEncoder = pass;
      pass.setPipeline(recording.pipeline);
    } else if (k === first) {
      pass.setPipeline(recording.pipeline);
    }
    pass.setBindGroup(0, bindGroups[k]);
    pass.dispatchWorkgroups(x, y, z);
    // A long run goes to the GPU in parts, so that it starts while the rest is recorded.
    if ((k + 1) % STEPS_PER_SUBMIT === 0 && k + 1 < end) {
      for (const t of tensors) internals.commandQueueOwnedIds.add(t.dataId);
      backend.endComputePassEncoder();
      backend.submitQueue();
      backend.ensureCommandEncoderReady();
      pass = null;
    }
  }
  // What the backend does after a dispatch: keep the tensors' buffers alive until the submit.
  for (const t of tensors) internals.commandQueueOwnedIds.add(t.dataId);
  internals.dispatchCountInPass++;
}

function bindGroupsFor(
  backend: WebGPUBackend,
  recording: Recording,
  buffers: GPUBuffer[],
  count: number,
): GPUBindGroup[] {
  const key = buffers.map(idOf).join(',');
  let groups = recording.bindGroups.get(key);
  if (groups != null) return groups;
  const {layout, uniforms, slot, size} = recording;
  groups = Array.from({length: count}, (_, k) =>
    backend.device.createBindGroup({
      layout,
      entries: [
        ...buffers.map((buffer, binding) => ({binding, resource: {buffer}})),
        {binding: buffers.length, resource: {buffer: uniforms, offset: k * slot, size}},
      ],
    }),
  );
  // A few sets of buffers per recording: the pool's for one shape, plus callers' own inputs.
  if (recording.bindGroups.size >= 4) {
    recording.bindGroups.delete(recording.bindGroups.keys().next().value!);
  }
  recording.bindGroups.set(key, groups);
  return groups;
}

function recordingsOf(backend: WebGPUBackend): Map<string, Recording> {
  let cache = recordings.get(backend);
  if (cache == null) {
    cache = new Map();
    recordings.set(backend, cache);
  }
  return cache;
}

/** Drops the oldest recording; its uniforms go once the work queued so far is done with them. */
function evictOldest(backend: WebGPUBackend, cache: Map<string, Recording>): void {
  const [key, oldest] = cache.entries().next().value!;
  cache.delete(key);
  oldest.evicted = true;
  backend.endComputePassEncoder();
  if ((backend as unknown as DispatchInternals).commandEncoder != null) backend.submitQueue();
  void backend.device.queue.onSubmittedWorkDone().then(() => oldest.uniforms.destroy());
}

/** A program of one dispatch on its own operands (BoundProgram's), through runSteps. */
export function runProgram(
  backend: WebGPUBackend,
  program: WebGPUProgram & {operands: TensorInfo[]},
  uniforms: ProgramUniformData,
  output: TensorInfo | {dtype: DataType},
): TensorInfo {
  return runSteps(backend, () => program, program.operands, singleStep(uniforms), output);
}
