/**
 * The image variant's cpu kernel: a plain float64 loop over batch rows, steps, pixels and channels,
 * h_t = g(conv(x_t, W) + conv(h_{t-1}, U) + b). Clarity and exactness come before speed, as for the
 * matrix reference kernel; the other kernels of this op are checked against it.
 */
import type {TensorInfo} from '@tensorflow/tfjs-core';

import {leadingPad, SingleGateConvRNNAttrs} from '../../src/contracts/image_kernel.js';
import {weightsAsFloat64} from './float16.js';
import {type CpuKernelArgs, readCallOperands} from './call_operands.js';
import {scanSequences} from './sequence_scan.js';

/** An OHWI kernel as doubles with its size: [out][kernelHeight][kernelWidth][in]. */
interface ConvKernel {
  values: Float64Array;
  height: number;
  width: number;
  inChannels: number;
}

/** One image's geometry and where a kernel's window starts relative to the output pixel. */
interface Geometry {
  height: number;
  width: number;
  padding: SingleGateConvRNNAttrs['padding'];
}

/**
 * Adds conv(image, kernel) at pixel (y, x) into `acc` ([out]): a stride-1 convolution with zero
 * padding that keeps the size. `image` is one [height][width][inChannels] image at `offset`.
 */
function addConvolution(
  acc: Float64Array,
  image: ArrayLike<number>,
  offset: number,
  kernel: ConvKernel,
  geometry: Geometry,
  y: number,
  x: number,
): void {
  const {height: kh, width: kw, inChannels: C, values} = kernel;
  const top = y - leadingPad(kh, geometry.padding);
  const left = x - leadingPad(kw, geometry.padding);
  for (let o = 0; o < acc.length; o++) {
    let sum = 0;
    for (let r = 0; r < kh; r++) {
      const iy = top + r;
      if (iy < 0 || iy >= geometry.height) continue; // zero padding
      for (let s = 0; s < kw; s++) {
        const ix = left + s;
        if (ix < 0 || ix >= geometry.width) continue;
        const pixel = offset + (iy * geometry.width + ix) * C;
        const tap = ((o * kh + r) * kw + s) * C;
        for (let c = 0; c < C; c++) sum += values[tap + c] * image[pixel + c];
      }
    }
    acc[o] += sum;
  }
}

export function singleGateConvRNNCpu(args: CpuKernelArgs<SingleGateConvRNNAttrs>): TensorInfo[] {
  const {inputs, backend, attrs} = args;
  const [batch, time, height, width, inChannels] = inputs.x.shape;
  const out = attrs.outputFeatureChannels;
  const {read, toFloat16, x, bias, initial, mask, g, backward, unit} = readCallOperands(args);
  const kernelOf = (t: TensorInfo | undefined): ConvKernel | undefined =>
    t && {
      values: weightsAsFloat64(read(t), toFloat16),
      height: t.shape[1],
      width: t.shape[2],
      inChannels: t.shape[3],
    };

  const w = kernelOf(inputs.inputWeights);
  const u = kernelOf(inputs.recurrentWeights);
  const geometry: Geometry = {height, width, padding: attrs.padding};

  const pixels = height * width;
  const acc = new Float64Array(out);
  const {output, finalState} = scanSequences({
    batch,
    time,
    stateSize: pixels * out,
    initial,
    mask,
    backward,
    advance: (h, next, n, t) => {
      const xOffset = (n * time + t) * pixels * inChannels;
      for (let y = 0; y < height; y++) {
        for (let px = 0; px < width; px++) {
          const pixel = y * width + px;
          for (let o = 0; o < out; o++) {
            acc[o] = (bias ? bias[o] : 0) + (unit ? x[xOffset + pixel * inChannels + o] : 0);
          }
          if (w && !unit) addConvolution(acc, x, xOffset, w, geometry, y, px);
          if (u) addConvolution(acc, h, 0, u, geometry, y, px);
          for (let o = 0; o < out; o++) next[pixel * out + o] = g(acc[o]);
        }
      }
    },
  });
  return [
    backend.makeTensorInfo([batch, time, height, width, out], 'float32', output),
    backend.makeTensorInfo([batch, height, width, out], 'float32', finalState),
  ];
}
