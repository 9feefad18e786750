/** Counts what is read back from the active backend while code runs. */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` with the active backend's `read` and `readSync` (what data() and dataSync() end in)
 * recorded, and puts them back afterwards; returns `fn`'s result and the reads in order.
 */
export function withReadsRecorded<T>(fn: () => T): {result: T; reads: Array<'read' | 'readSync'>} {
  const backend = tf.backend() as unknown as Record<'read' | 'readSync', (...args: unknown[]) => unknown>;
  const reads: Array<'read' | 'readSync'> = [];
  const originals = {read: backend.read, readSync: backend.readSync};
  for (const name of ['read', 'readSync'] as const) {
    backend[name] = (...args: unknown[]) => {
      reads.push(name);
      return originals[name].apply(backend, args);
    };
  }
  try {
    return {result: fn(), reads};
  } finally {
    Object.assign(backend, originals);
  }
}
