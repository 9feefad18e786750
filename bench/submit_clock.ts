/**
 * When the webgpu backend last submitted work: the end of an op's host time (from the call to the last
 * submit, i.e. until the GPU holds everything it needs, readback copy included). The backend submits
 * through its `queue` field; the benchmark puts a clock in front of it.
 */
import type * as TfCore from '@tensorflow/tfjs-core';

export interface SubmitClock {
  /** performance.now() at the backend's last queue.submit. */
  readonly last: number;
}

const CLOCK = Symbol('bench.submitClock');

interface QueueHolder {
  queue: GPUQueue;
  [CLOCK]?: {last: number};
}

/** The clock of the active backend, or null when it is not webgpu. Installed once per backend. */
export function submitClock(tf: typeof TfCore): SubmitClock | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as QueueHolder;
  const existing = backend[CLOCK];
  if (existing != null) return existing;
  const clock = {last: 0};
  const queue = backend.queue;
  const submit = queue.submit.bind(queue);
  backend.queue = new Proxy(queue, {
    get(target, key) {
      if (key === 'submit') {
        return (buffers: Iterable<GPUCommandBuffer>) => {
          submit(buffers);
          clock.last = performance.now();
        };
      }
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  backend[CLOCK] = clock;
  return clock;
}
