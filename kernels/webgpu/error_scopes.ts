/**
 * Surfaces GPU errors raised while a call sets up its buffers and dispatches. checkBufferLimits
 * catches what the limits predict, but an allocation can still fail (out of device memory), and WebGPU
 * reports that asynchronously: the op has returned by then, and its outputs would read back as zeros.
 * Here the call's work runs inside error scopes; reading any of its outputs waits for the scopes and
 * rejects with the GPU's error instead of returning those zeros (through the backend's hooks,
 * src/contracts/backend_hooks.ts).
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type {TensorInfo} from '@tensorflow/tfjs-core';

import {BackendHooks, hookBackend} from '../../src/contracts/backend_hooks.js';

/** The scopes' verdict for each output of a call made under them (keyed by the output's dataId). */
const verdicts = new WeakMap<object, Promise<GPUError | null>>();
/** Verdicts that have arrived, for synchronous reads, which cannot wait for one. */
const settled = new WeakMap<object, GPUError | null>();

/**
 * Reads consult the verdicts: an asynchronous read waits for its call's verdict; a synchronous one
 * (`dataSync`) throws where the verdict has arrived with an error. One still pending cannot be waited
 * for there; the error then reaches the console only.
 */
const HOOKS: BackendHooks = {
  read: (dataId) =>
    verdicts.get(dataId)?.then((error) => (error == null ? null : new Error(describe(error)))) ?? null,
  readSync: (dataId) => {
    const error = settled.get(dataId);
    return error == null ? null : new Error(describe(error));
  },
};

/**
 * Runs `record` (which allocates and dispatches through `backend`) inside out-of-memory and
 * validation error scopes, and makes reads of the tensors it returns fail with the error if the GPU
 * reports one.
 */
export function withErrorScopes<T extends TensorInfo[]>(backend: WebGPUBackend, record: () => T): T {
  const device = backend.device;
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let outputs: T;
  try {
    outputs = record();
  } catch (e) {
    // Nothing of the call is returned, so nothing can be read: only the scopes need closing.
    void device.popErrorScope();
    void device.popErrorScope();
    throw e;
  }
  const validation = device.popErrorScope();
  const outOfMemory = device.popErrorScope();
  const verdict = Promise.all([outOfMemory, validation]).then(([oom, invalid]) => oom ?? invalid);
  hookBackend(backend, 'gpuErrorVerdicts', HOOKS);
  for (const output of outputs) verdicts.set(output.dataId, verdict);
  void verdict.then((error) => {
    for (const output of outputs) settled.set(output.dataId, error);
    if (error != null) console.error(describe(error));
  });
  return outputs;
}

function describe(error: GPUError): string {
  // By name: GPUOutOfMemoryError is a global of WebGPU pages, not necessarily of Node.
  const kind = error.constructor.name === 'GPUOutOfMemoryError' ? 'out of memory' : 'an error';
  return (
    `SingleGateRNN on webgpu: the GPU reported ${kind} while setting up the call (${error.message}); ` +
    `its results are not valid. Smaller batches, fewer steps or float16 weights need less memory.`
  );
}
