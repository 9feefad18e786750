/**
 * An independent reference for the op: a float64 loop written straight from the formula of the MPS
 * reference (h_t = g(W x_t + U h_{t-1} + b)), sharing no code with the kernels under test. Float16
 * weights use the browser's own `Math.f16round`.
 */

export interface ReferenceNeuron {
  type: string;
  a: number;
  b: number;
  c: number;
}

export interface ReferenceProblem {
  batch: number;
  time: number;
  inputChannels: number;
  outputChannels: number;
  /** [batch * time * inputChannels], row-major [batch][time][channel]. */
  x: ArrayLike<number>;
  /** W as [out][in] row-major, or null for W = 0. */
  w: ArrayLike<number> | null;
  /** U as [out][out] row-major, or null for U = 0. */
  u: ArrayLike<number> | null;
  bias: ArrayLike<number> | null;
  /** [batch * out], or null for zeros. */
  initialState: ArrayLike<number> | null;
  neuron: ReferenceNeuron;
  unitTransform: boolean;
  float16Weights: boolean;
  backward: boolean;
  /** [batch * time]: 0 skips a step (state and output carry the previous state); null: none skipped. */
  mask?: ArrayLike<number> | null;
}

export interface ReferenceResult {
  /** [batch * time * out]. */
  output: Float64Array;
  /** [batch * out]. */
  finalState: Float64Array;
}

export function f16round(value: number): number {
  const round = (Math as unknown as {f16round?: (v: number) => number}).f16round;
  if (round == null) throw new Error('the reference needs Math.f16round (Chromium >= 135, Firefox >= 129)');
  return round(value);
}

/** erf by Simpson's rule on 2/sqrt(pi) * integral of exp(-t^2): slow, simple and plenty accurate. */
function erf(x: number): number {
  if (x < 0) return -erf(-x);
  if (x > 6) return 1;
  const steps = 4000;
  const h = x / steps;
  let sum = 1 + Math.exp(-x * x);
  for (let k = 1; k < steps; k++) sum += (k % 2 === 1 ? 4 : 2) * Math.exp(-(k * h) * (k * h));
  return ((2 / Math.sqrt(Math.PI)) * sum * h) / 3;
}

export function applyNeuron(n: ReferenceNeuron, x: number): number {
  const {a, b, c} = n;
  switch (n.type) {
    case 'none':
      return x;
    case 'relu':
      return x >= 0 ? x : a * x;
    case 'linear':
      return a * x + b;
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'hardSigmoid':
      return Math.min(1, Math.max(0, a * x + b));
    case 'tanh':
      return a * Math.tanh(b * x);
    case 'absolute':
      return Math.abs(x);
    case 'softplus':
      return a * Math.log(1 + Math.exp(b * x));
    case 'softsign':
      return x / (1 + Math.abs(x));
    case 'elu':
      return x >= 0 ? x : a * (Math.exp(x) - 1);
    case 'reluN':
      return Math.min(x >= 0 ? x : a * x, b);
    case 'power':
      return Math.pow(a * x + b, c);
    case 'exponential':
      return c === -1 ? Math.exp(a * x + b) : Math.pow(c, a * x + b);
    case 'logarithm':
      return c === -1 ? Math.log(a * x + b) : Math.log(a * x + b) / Math.log(c);
    case 'gelu':
      return 0.5 * x * (1 + erf(x / Math.SQRT2));
    default:
      throw new Error(`reference: unknown neuron ${n.type}`);
  }
}

export function referenceSingleGateRNN(p: ReferenceProblem): ReferenceResult {
  const H = p.outputChannels;
  const I = p.inputChannels;
  const weight = (values: ArrayLike<number>, k: number): number =>
    p.float16Weights ? f16round(values[k]) : values[k];
  const output = new Float64Array(p.batch * p.time * H);
  const finalState = new Float64Array(p.batch * H);
  for (let n = 0; n < p.batch; n++) {
    let h: number[] = [];
    for (let i = 0; i < H; i++) h.push(p.initialState ? p.initialState[n * H + i] : 0);
    const order = [...Array(p.time).keys()];
    if (p.backward) order.reverse();
    for (const t of order) {
      if (p.mask && p.mask[n * p.time + t] === 0) {
        for (let i = 0; i < H; i++) output[(n * p.time + t) * H + i] = h[i];
        continue;
      }
      const xt = (j: number): number => p.x[(n * p.time + t) * I + j];
      const next: number[] = [];
      for (let i = 0; i < H; i++) {
        let s = p.bias ? p.bias[i] : 0;
        if (p.unitTransform) s += xt(i);
        else if (p.w) for (let j = 0; j < I; j++) s += weight(p.w, i * I + j) * xt(j);
        if (p.u) for (let j = 0; j < H; j++) s += weight(p.u, i * H + j) * h[j];
        next.push(applyNeuron(p.neuron, s));
      }
      // MPS stores the state as float32 after every step; only the sums are taken in float64.
      h = next.map(Math.fround);
      for (let i = 0; i < H; i++) output[(n * p.time + t) * H + i] = h[i];
    }
    for (let i = 0; i < H; i++) finalState[n * H + i] = h[i];
  }
  return {output, finalState};
}
