/**
 * Picks the best backend this browser has for the op: the first of BACKENDS that has a `SingleGateRNN`
 * kernel registered and starts here.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {SingleGateRNN as SingleGateRNNKernelName} from '../../src/contracts/matrix_kernel.js';

export interface BackendCandidate {
  name: string;
  /** Imports the backend's package (which registers it with tfjs). */
  load(): Promise<unknown>;
}

/**
 * Best first. webgl and wasm belong between webgpu and cpu once kernels/ registers a `SingleGateRNN`
 * kernel for them: add `{name: 'webgl', load: () => import('@tensorflow/tfjs-backend-webgl')}` (and
 * the same for wasm) here, and the page offers them with no other change. A candidate without the
 * kernel is passed over rather than falling back to another backend's kernel.
 */
export const BACKENDS: readonly BackendCandidate[] = [
  {name: 'webgpu', load: () => import('@tensorflow/tfjs-backend-webgpu')},
  {name: 'cpu', load: () => Promise.resolve()},
];

export interface BackendPick {
  name: string;
  /** Why each better candidate was passed over, best first. */
  skipped: string[];
}

/** Makes the best usable backend active; throws listing every candidate's reason if none starts. */
export async function pickBackend(candidates: readonly BackendCandidate[] = BACKENDS): Promise<BackendPick> {
  const skipped: string[] = [];
  for (const candidate of candidates) {
    if (tf.getKernel(SingleGateRNNKernelName, candidate.name) == null) {
      skipped.push(`${candidate.name}: no ${SingleGateRNNKernelName} kernel`);
      continue;
    }
    if (candidate.name === 'webgpu' && !('gpu' in navigator)) {
      skipped.push('webgpu: this browser has no navigator.gpu');
      continue;
    }
    try {
      await candidate.load();
      // setBackend answers false when the backend's factory fails (no adapter, say).
      if (await tf.setBackend(candidate.name)) {
        await tf.ready();
        return {name: tf.getBackend(), skipped};
      }
      skipped.push(`${candidate.name}: the backend did not start`);
    } catch (e) {
      skipped.push(`${candidate.name}: ${(e as Error).message}`);
    }
  }
  throw new Error(`no backend could run the op: ${skipped.join('; ')}`);
}
