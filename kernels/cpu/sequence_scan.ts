/**
 * The loop over batch rows and steps that every cpu kernel runs: h starts at the initial state (or
 * zero), each step in the layer's direction either keeps h (a masked step) or computes the next state
 * from it, and h after each step is the output at that step. The kernels differ only in how one step
 * computes the next state, so that is all they pass in.
 */

interface SequenceScan {
  batch: number;
  time: number;
  /** Floats in one row's state: outputFeatureChannels, times height × width for the image op. */
  stateSize: number;
  initial: ArrayLike<number> | null | undefined;
  mask: ArrayLike<number> | null | undefined;
  backward: boolean;
  /** Work done once per batch row before its first step (e.g. the row's whole projection). */
  beginRow?: (n: number) => void;
  /** Writes the state after step `t` of row `n` into `next`, from `h` (the state before it). */
  advance: (h: Float32Array, next: Float32Array, n: number, t: number) => void;
}

/** `output` [batch, time, stateSize] and `finalState` [batch, stateSize], as float32. */
export function scanSequences(o: SequenceScan): {output: Float32Array; finalState: Float32Array} {
  const {batch, time, stateSize, initial, mask} = o;
  const output = new Float32Array(batch * time * stateSize);
  const finalState = new Float32Array(batch * stateSize);
  // The state is float32 between steps, as MPS stores it: a sum that overflows float32 is Inf at this
  // step, not a double that a later step brings back into range. The next state is built apart and
  // swapped in, since (in the image op) every pixel of it reads a neighbourhood of the previous one.
  let h = new Float32Array(stateSize);
  let next = new Float32Array(stateSize);
  for (let n = 0; n < batch; n++) {
    o.beginRow?.(n);
    for (let k = 0; k < stateSize; k++) h[k] = initial ? initial[n * stateSize + k] : 0;
    for (let step = 0; step < time; step++) {
      const t = o.backward ? time - 1 - step : step;
      if (!mask || mask[n * time + t] !== 0) {
        o.advance(h, next, n, t);
        [h, next] = [next, h];
      }
      output.set(h, (n * time + t) * stateSize);
    }
    finalState.set(h, n * stateSize);
  }
  return {output, finalState};
}
