/**
 * An independent reference for stacks, bidirectional encoding and sequence lengths: float64 loops
 * written from the formula and the semantics, sharing no code with the op. Row n with length
 * L_n consumes x_0 .. x_{L_n - 1} (in reverse going backward, from x_{L_n - 1}); past its end its outputs
 * are zeros and its states repeat its final state.
 */
import {applyNeuron, f16round, ReferenceNeuron} from './single_gate_rnn_reference.js';

/** One layer: W [out][in], U [out][out] row-major (null: zero), b, g and its direction. */
export interface ReferenceLayer {
  inputChannels: number;
  outputChannels: number;
  w: ArrayLike<number> | null;
  u: ArrayLike<number> | null;
  bias: ArrayLike<number> | null;
  neuron: ReferenceNeuron;
  backward: boolean;
  float16Weights: boolean;
}

export interface ReferenceLayerRun {
  /** [batch * time * out]: zeros past each row's end. */
  output: Float64Array;
  /** [batch * time * out]: the state after every step; past a row's end, its final state. */
  states: Float64Array;
  /** [batch * out]. */
  finalState: Float64Array;
}

/**
 * One layer over x ([batch * time * in]); `lengths` null means every row is `time` long, `initialState`
 * null means zeros.
 */
export function referenceLayer(
  layer: ReferenceLayer,
  x: ArrayLike<number>,
  batch: number,
  time: number,
  initialState: ArrayLike<number> | null,
  lengths: ArrayLike<number> | null,
): ReferenceLayerRun {
  const {inputChannels: I, outputChannels: H} = layer;
  const weight = (values: ArrayLike<number>, k: number): number =>
    layer.float16Weights ? f16round(values[k]) : values[k];
  const output = new Float64Array(batch * time * H);
  const states = new Float64Array(batch * time * H);
  const finalState = new Float64Array(batch * H);
  for (let n = 0; n < batch; n++) {
    const length = lengths ? lengths[n] : time;
    let h = Array.from({length: H}, (_, i) => (initialState ? initialState[n * H + i] : 0));
    const steps = Array.from({length}, (_, k) => (layer.backward ? length - 1 - k : k));
    for (const t of steps) {
      const next: number[] = [];
      for (let i = 0; i < H; i++) {
        let s = layer.bias ? layer.bias[i] : 0;
        if (layer.w) for (let j = 0; j < I; j++) s += weight(layer.w, i * I + j) * x[(n * time + t) * I + j];
        if (layer.u) for (let j = 0; j < H; j++) s += weight(layer.u, i * H + j) * h[j];
        next.push(applyNeuron(layer.neuron, s));
      }
      // MPS stores the state as float32 after every step; only the sums are taken in float64.
      h = next.map(Math.fround);
      for (let i = 0; i < H; i++) {
        output[(n * time + t) * H + i] = h[i];
        states[(n * time + t) * H + i] = h[i];
      }
    }
    for (let t = length; t < time; t++) {
      for (let i = 0; i < H; i++) states[(n * time + t) * H + i] = h[i];
    }
    for (let i = 0; i < H; i++) finalState[n * H + i] = h[i];
  }
  return {output, states, finalState};
}

export interface ReferenceStackRun {
  /** The last layer's output. */
  output: Float64Array;
  /** Per layer, layer 0 first. */
  states: Float64Array[];
  finalStates: Float64Array[];
}

/** A stack: each layer's output is the next one's x. */
export function referenceStack(
  layers: ReferenceLayer[],
  x: ArrayLike<number>,
  batch: number,
  time: number,
  initialStates: Array<ArrayLike<number> | null> | null,
  lengths: ArrayLike<number> | null,
): ReferenceStackRun {
  let input: ArrayLike<number> = x;
  const states: Float64Array[] = [];
  const finalStates: Float64Array[] = [];
  layers.forEach((layer, k) => {
    const run = referenceLayer(layer, input, batch, time, initialStates?.[k] ?? null, lengths);
    states.push(run.states);
    finalStates.push(run.finalState);
    input = run.output;
  });
  return {output: Float64Array.from(input), states, finalStates};
}

/** Bidirectional 'add' or 'concatenate' of two [batch * time * units] outputs. */
export function referenceCombine(
  mode: 'add' | 'concatenate',
  forward: Float64Array,
  backward: Float64Array,
  batch: number,
  time: number,
  forwardUnits: number,
  backwardUnits: number,
): Float64Array {
  if (mode === 'add') return forward.map((value, k) => value + backward[k]);
  const units = forwardUnits + backwardUnits;
  const out = new Float64Array(batch * time * units);
  for (let row = 0; row < batch * time; row++) {
    for (let i = 0; i < forwardUnits; i++) out[row * units + i] = forward[row * forwardUnits + i];
    for (let i = 0; i < backwardUnits; i++) {
      out[row * units + forwardUnits + i] = backward[row * backwardUnits + i];
    }
  }
  return out;
}
