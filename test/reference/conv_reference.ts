/**
 * An independent reference for the image variant: float64 loops over pixels written from the formula
 * h_t = g(conv(x_t, W) + conv(h_{t-1}, U) + b) and the rules (stride 1, zero padding that keeps
 * the size, an even kernel's extra row and column at the top and left for 'mps', at the bottom and
 * right for 'same'), sharing no code with the op or its kernels. Sequence lengths and masks as in
 * sequence_reference.ts: a masked step carries the state; past a row's length outputs are zeros and
 * states repeat the row's final state.
 */
import {applyNeuron, f16round, ReferenceNeuron} from './single_gate_rnn_reference.js';

/** One image layer: W [out][kh][kw][in], U [out][kh'][kw'][out] (OHWI; null: zero), b, g, direction. */
export interface ConvReferenceLayer {
  inputChannels: number;
  outputChannels: number;
  w: ArrayLike<number> | null;
  /** W's [kernelHeight, kernelWidth]. */
  wKernel: [number, number];
  u: ArrayLike<number> | null;
  uKernel: [number, number];
  bias: ArrayLike<number> | null;
  neuron: ReferenceNeuron;
  backward: boolean;
  float16Weights: boolean;
  unitTransform: boolean;
  padding: 'mps' | 'same';
}

export interface ConvDims {
  batch: number;
  time: number;
  height: number;
  width: number;
}

export interface ConvReferenceRun {
  /** [batch][time][height][width][out]: zeros past each row's end. */
  output: Float64Array;
  /** The state after every step; past a row's end, its final state. */
  states: Float64Array;
  /** [batch][height][width][out]. */
  finalState: Float64Array;
}

/**
 * Rows (or columns) of zeros before the image for a kernel of `size`: k - 1 in all, split evenly;
 * an odd share goes before for 'mps' and after for 'same'.
 */
function before(size: number, padding: 'mps' | 'same'): number {
  const total = size - 1;
  const half = Math.floor(total / 2);
  return padding === 'mps' ? total - half : half;
}

/**
 * Sum over taps and input channels of kernel[o][r][s][c] · image[y + r - top][x + s - left][c], taps
 * outside the image reading zero. `image(y, x, c)` reads one image.
 */
function convolveAt(
  kernel: ArrayLike<number>,
  [kh, kw]: [number, number],
  channels: number,
  o: number,
  image: (y: number, x: number, c: number) => number,
  dims: ConvDims,
  y: number,
  x: number,
  layer: ConvReferenceLayer,
): number {
  const weight = (k: number): number => (layer.float16Weights ? f16round(kernel[k]) : kernel[k]);
  let sum = 0;
  for (let r = 0; r < kh; r++) {
    for (let s = 0; s < kw; s++) {
      const [iy, ix] = [y + r - before(kh, layer.padding), x + s - before(kw, layer.padding)];
      if (iy < 0 || ix < 0 || iy >= dims.height || ix >= dims.width) continue;
      for (let c = 0; c < channels; c++) {
        sum += weight(((o * kh + r) * kw + s) * channels + c) * image(iy, ix, c);
      }
    }
  }
  return sum;
}

/** One layer over x; null initial state: zeros; null lengths: every row `time` long; null mask: none. */
export function referenceConvLayer(
  layer: ConvReferenceLayer,
  x: ArrayLike<number>,
  dims: ConvDims,
  initialState: ArrayLike<number> | null,
  lengths: ArrayLike<number> | null = null,
  mask: ArrayLike<number> | null = null,
): ConvReferenceRun {
  const {batch, time, height, width} = dims;
  const [I, O] = [layer.inputChannels, layer.outputChannels];
  const imageSize = height * width * O;
  const at = (y: number, px: number, c: number, channels: number): number => (y * width + px) * channels + c;
  const output = new Float64Array(batch * time * imageSize);
  const states = new Float64Array(batch * time * imageSize);
  const finalState = new Float64Array(batch * imageSize);
  for (let n = 0; n < batch; n++) {
    const length = lengths ? lengths[n] : time;
    let h = Float64Array.from({length: imageSize}, (_, k) =>
      initialState ? initialState[n * imageSize + k] : 0,
    );
    const steps = Array.from({length}, (_, k) => (layer.backward ? length - 1 - k : k));
    for (const t of steps) {
      if (!mask || mask[n * time + t] !== 0) {
        const frame = (n * time + t) * height * width * I;
        const xt = (y: number, px: number, c: number): number => x[frame + at(y, px, c, I)];
        const previous = h;
        const ht = (y: number, px: number, c: number): number => previous[at(y, px, c, O)];
        const next = new Float64Array(imageSize);
        for (let y = 0; y < height; y++) {
          for (let px = 0; px < width; px++) {
            for (let o = 0; o < O; o++) {
              let s = layer.bias ? layer.bias[o] : 0;
              if (layer.unitTransform) s += xt(y, px, o);
              else if (layer.w) s += convolveAt(layer.w, layer.wKernel, I, o, xt, dims, y, px, layer);
              if (layer.u) s += convolveAt(layer.u, layer.uKernel, O, o, ht, dims, y, px, layer);
              next[at(y, px, o, O)] = applyNeuron(layer.neuron, s);
            }
          }
        }
        // MPS stores the state as float32 after every step; only the sums are taken in float64.
        h = next.map(Math.fround);
      }
      output.set(h, (n * time + t) * imageSize);
      states.set(h, (n * time + t) * imageSize);
    }
    for (let t = length; t < time; t++) states.set(h, (n * time + t) * imageSize);
    finalState.set(h, n * imageSize);
  }
  return {output, states, finalState};
}

/** A stack: each layer's output is the next one's x, every layer over the same lengths. */
export function referenceConvStack(
  layers: ConvReferenceLayer[],
  x: ArrayLike<number>,
  dims: ConvDims,
  initialStates: Array<ArrayLike<number> | null> | null,
  lengths: ArrayLike<number> | null,
): {output: Float64Array; states: Float64Array[]; finalStates: Float64Array[]} {
  let input: ArrayLike<number> = x;
  const states: Float64Array[] = [];
  const finalStates: Float64Array[] = [];
  layers.forEach((layer, k) => {
    const run = referenceConvLayer(layer, input, dims, initialStates?.[k] ?? null, lengths);
    states.push(run.states);
    finalStates.push(run.finalState);
    input = run.output;
  });
  return {output: Float64Array.from(input), states, finalStates};
}
