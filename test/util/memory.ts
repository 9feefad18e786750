/** Checks that code releases every tensor it creates. */
import {memory} from '@tensorflow/tfjs-core';

/**
 * Runs `fn` and throws if the number of live tensors or backend data buffers changed, naming both
 * counts. `fn` must dispose whatever it creates, results included; awaiting inside it is fine.
 * Returns what `fn` returns (which must then not be a tensor still alive).
 *
 * @example
 * await expectNoLeaks(async () => {
 *   const {output, finalState} = singleGateRNN(x, descriptor);
 *   await output.data();
 *   dispose([output, finalState]);
 * });
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>): Promise<T> {
  const before = memory();
  const result = await fn();
  const after = memory();
  if (after.numTensors !== before.numTensors || after.numDataBuffers !== before.numDataBuffers) {
    throw new Error(
      `Leaked tensors: ${before.numTensors} -> ${after.numTensors} live tensors, ` +
        `${before.numDataBuffers} -> ${after.numDataBuffers} data buffers`,
    );
  }
  return result;
}
