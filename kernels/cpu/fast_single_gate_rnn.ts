/**
 * The cpu backend's default kernel: float32 weights, the projection W x + b of a whole sequence first
 * (dot products over contiguous rows of W and x), then per step U h as a sum of U's columns scaled by
 * h_j, read from U transposed once per call so the inner loop runs over contiguous memory. Sums are
 * taken in JavaScript's doubles, so results agree with the reference kernel to float32 rounding.
 * Every buffer is allocated once per call; the loops allocate nothing.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';

import type {SingleGateRNNAttrs} from '../../src/contracts/matrix_kernel.js';
import {roundToFloat16} from './float16.js';
import {type CpuKernelArgs, readCallOperands} from './call_operands.js';
import {scanSequences} from './sequence_scan.js';

/** `values` as float32, each rounded to float16 first when `toFloat16` is set. */
function float32Weights(values: Float32Array, toFloat16: boolean): Float32Array {
  return toFloat16 ? Float32Array.from(values, roundToFloat16) : values;
}

/** U [out, out] transposed: entry (j, i) is U_ij, so column j of U is one contiguous row. */
function transposed(u: Float32Array, size: number): Float32Array {
  const t = new Float32Array(size * size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) t[j * size + i] = u[i * size + j];
  return t;
}

export function singleGateRNNCpuFast(args: CpuKernelArgs<SingleGateRNNAttrs>): TensorInfo[] {
  const {inputs, backend, attrs} = args;
  const [batch, time] = inputs.x.shape;
  const inChannels = attrs.inputFeatureChannels;
  const out = attrs.outputFeatureChannels;
  const {read, toFloat16, x, bias, initial, mask, g, backward, unit} = readCallOperands(args);

  const w = inputs.inputWeights && float32Weights(read(inputs.inputWeights), toFloat16);
  const ut =
    inputs.recurrentWeights && transposed(float32Weights(read(inputs.recurrentWeights), toFloat16), out);

  // One sequence's projection, [time, out], reused for every row of the batch.
  const projection = new Float64Array(time * out);
  const acc = new Float64Array(out);
  const {output, finalState} = scanSequences({
    batch,
    time,
    stateSize: out,
    initial,
    mask,
    backward,
    beginRow: (n) => {
      for (let t = 0; t < time; t++) {
        const xOffset = (n * time + t) * inChannels;
        for (let i = 0; i < out; i++) {
          let sum = bias ? bias[i] : 0;
          if (unit) {
            sum += x[xOffset + i];
          } else if (w) {
            const row = i * inChannels;
            for (let j = 0; j < inChannels; j++) sum += w[row + j] * x[xOffset + j];
          }
          projection[t * out + i] = sum;
        }
      }
    },
    advance: (h, next, _n, t) => {
      for (let i = 0; i < out; i++) acc[i] = projection[t * out + i];
      if (ut) {
        for (let j = 0; j < out; j++) {
          const hj = h[j];
          const column = j * out;
          for (let i = 0; i < out; i++) acc[i] += ut[column + i] * hj;
        }
      }
      for (let i = 0; i < out; i++) next[i] = g(acc[i]);
    },
  });
  return [
    backend.makeTensorInfo([batch, time, out], 'float32', output),
    backend.makeTensorInfo([batch, out], 'float32', finalState),
  ];
}
