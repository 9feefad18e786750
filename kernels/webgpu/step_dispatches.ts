/**
 * A program dispatched many times in a row with only its uniforms changing (the sliced recurrence: one
 * dispatch per step). Through runWebGPUProgram each dispatch costs the backend's full per-program
 * bookkeeping on the host (shader key, input uploads and shapes, the bind group layout, a uniform
 * buffer, a bind group, the pipeline set again): tens of microseconds, more than the GPU needs for a
 * step. Here the first dispatch goes through runWebGPUProgram (which compiles or finds the pipeline and
 * packs the uniforms); the others reuse its pipeline, layout and bindings, and pay only a uniform buffer
 * (the backend's own packing, with the step's values), a bind group and the dispatch.
 *
 * The backend has no public way to do this: this reaches its uniform packing, its open compute pass and
 * the bookkeeping a dispatch updates (the tensors the queued work uses, the dispatch count that decides
 * when to submit). All of these are private in its typings; that reach is kept to this file. While the
 * backend profiles (tf.time, tf.profile), every dispatch goes through runWebGPUProgram, so that each is
 * timed as usual.
 */
import type {WebGPUBackend, WebGPUProgram} from '@tensorflow/tfjs-backend-webgpu';
import {env, type DataId, type TensorInfo} from '@tensorflow/tfjs-core';

import type {ProgramUniformData} from './uniforms.js';

type UniformBinding = GPUBufferBinding & {buffer: GPUBuffer};

interface DispatchInternals {
  activeTimers: unknown;
  commandEncoder: GPUCommandEncoder | null;
  computePassEncoder: GPUComputePassEncoder | null;
  commandQueueOwnedIds: WeakSet<DataId>;
  dispatchCountInPass: number;
  makeUniforms(uniforms: ProgramUniformData): UniformBinding;
}

/** One dispatch of the run: its program-defined uniform values. */
export type StepUniforms = ProgramUniformData;

/**
 * Dispatches the program `makeProgram` makes once per entry of `steps`, in order, writing in place into
 * `output` (as runWebGPUProgram with that output would). Every entry must have the same fields as the
 * first. A factory, not a program: runWebGPUProgram extends a program's shaderKey each time it runs
 * it, so each run through it needs a fresh one.
 */
export function dispatchSteps(
  backend: WebGPUBackend,
  makeProgram: () => WebGPUProgram,
  inputs: TensorInfo[],
  output: TensorInfo,
  steps: readonly StepUniforms[],
): void {
  if (steps.length === 0) return;
  const program = makeProgram();
  const internals = backend as unknown as DispatchInternals;
  // The first dispatch the usual way, watching the uniforms the backend packs for it.
  let packed: ProgramUniformData | null = null;
  const ownMakeUniforms = Object.getOwnPropertyDescriptor(backend, 'makeUniforms');
  const makeUniforms = internals.makeUniforms.bind(backend);
  internals.makeUniforms = (uniforms) => {
    packed = uniforms;
    return makeUniforms(uniforms);
  };
  try {
    backend.runWebGPUProgram(program, inputs, output.dtype, steps[0], output);
  } finally {
    if (ownMakeUniforms != null) Object.defineProperty(backend, 'makeUniforms', ownMakeUniforms);
    else delete (internals as Partial<DispatchInternals>).makeUniforms;
  }
  const pipeline = program.pipeline;
  const shared: ProgramUniformData | null = packed;
  if (
    shared == null || // compile-only mode: nothing was recorded
    pipeline == null ||
    pipeline instanceof Promise ||
    internals.activeTimers != null
  ) {
    for (const step of steps.slice(1)) {
      backend.runWebGPUProgram(makeProgram(), inputs, output.dtype, step, output);
    }
    return;
  }

  // The backend packs its own fields (shapes, strides, ...) first and the program's after them.
  const all: ProgramUniformData = shared;
  const common = all.slice(0, all.length - steps[0].length);
  const layout = pipeline.getBindGroupLayout(0);
  const buffers = [output, ...inputs].map((t) => ({
    dataId: t.dataId,
    buffer: backend.tensorMap.get(t.dataId).resource as GPUBuffer,
  }));
  const submitEvery = env().getNumber('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE');
  for (const step of steps.slice(1)) {
    const uniforms = internals.makeUniforms([...common, ...step]);
    const bindGroup = backend.device.createBindGroup({
      layout,
      entries: [
        ...buffers.map(({buffer}, binding) => ({binding, resource: {buffer}})),
        {binding: buffers.length, resource: uniforms},
      ],
    });
    backend.ensureCommandEncoderReady();
    let pass = internals.computePassEncoder;
    if (pass == null) {
      pass = internals.commandEncoder!.beginComputePass({});
      internals.computePassEncoder = pass;
    }
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(...program.dispatch);
    // What the backend does after a dispatch: keep the buffers alive until the submit, and submit
    // every few dispatches so the GPU starts early.
    for (const {dataId} of buffers) internals.commandQueueOwnedIds.add(dataId);
    internals.dispatchCountInPass++;
    if (internals.dispatchCountInPass >= submitEvery) {
      backend.endComputePassEncoder();
      backend.submitQueue();
    }
  }
}
