/**
 * The image variant's portable path: h_t = g(conv(x_t, W) + conv(h_{t-1}, U) + b) from stock tfjs ops,
 * for backends without a `SingleGateConvRNN` kernel and for training the layer (these ops have
 * gradients). conv(x, W) + b is one `conv2d` over every batch·time frame; each step then adds
 * conv(h_{t-1}, U) and applies the neuron. The padding is explicit (`pad`, then a 'valid' convolution),
 * because tfjs' 'same' puts an even kernel's extra row at the bottom, and MPS' at the top.
 */
import {
  add,
  fill,
  broadcastTo,
  conv2d,
  pad,
  Rank,
  reshape,
  slice,
  stack,
  Tensor1D,
  Tensor2D,
  Tensor4D,
  Tensor5D,
  transpose,
  unstack,
  where,
  zeros,
} from '@tensorflow/tfjs-core';

import {ConvRNNPadding, leadingPad, SingleGateConvRNNAttrs} from '../contracts/image_kernel.js';
import {selectSteps} from '../sequence/step_selection.js';
import {roundWeightsToFloat16} from './float16_weights.js';
import {neuronOps} from './neuron.js';

/** The kernel's inputs as tensors, with the same meaning of absent entries (see src/contracts/image_kernel.ts). */
export type PortableConvInputs = {
  x: Tensor5D;
  inputWeights?: Tensor4D;
  recurrentWeights?: Tensor4D;
  biasTerms?: Tensor1D;
  initialState?: Tensor4D;
  /** [batch, time] bool. */
  mask?: Tensor2D;
};

/**
 * conv(images, kernel) for NHWC `images` and an OHWI `kernel` (already rounded as the weights are
 * used): stride 1, zero padding that keeps the size, the leading side per `padding`.
 *
 * Taken one kernel tap at a time, each over the rectangle of outputs whose input pixel lies inside the
 * image, then padded with zeros: a tap that falls on the padding adds nothing, as in the reference and
 * the webgpu kernel (which select rather than multiply). Padding the image and multiplying would
 * give 0 × Inf = NaN wherever an infinite weight meets the border. A 1×1 kernel reads no padding.
 */
function sameSizeConv(images: Tensor4D, kernel: Tensor4D, padding: ConvRNNPadding): Tensor4D {
  const [out, kh, kw, inChannels] = kernel.shape;
  const [, height, width] = images.shape;
  // tfjs' filters are HWIO: [kernelHeight, kernelWidth, in, out].
  const filters = transpose(kernel, [1, 2, 3, 0]);
  if (kh === 1 && kw === 1) return conv2d(images, filters, 1, 'valid');
  const [top, left] = [leadingPad(kh, padding), leadingPad(kw, padding)];
  let sum: Tensor4D | null = null;
  for (let r = 0; r < kh; r++) {
    // Output row y reads input row y + dy; the rows where that is inside the image.
    const dy = r - top;
    const [y0, y1] = [Math.max(0, -dy), Math.min(height, height - dy)];
    for (let c = 0; c < kw; c++) {
      const dx = c - left;
      const [x0, x1] = [Math.max(0, -dx), Math.min(width, width - dx)];
      if (y1 <= y0 || x1 <= x0) continue; // this tap only ever reads padding
      const window = slice(images, [0, y0 + dy, x0 + dx, 0], [-1, y1 - y0, x1 - x0, -1]);
      const tap = slice(filters, [r, c, 0, 0], [1, 1, inChannels, out]);
      const term = pad(conv2d(window, tap, 1, 'valid'), [
        [0, 0],
        [y0, height - y1],
        [x0, width - x1],
        [0, 0],
      ]);
      sum = sum == null ? term : add<Tensor4D>(sum, term);
    }
  }
  // Every tap reads padding only when the kernel is larger than twice the image; conv then adds 0.
  return sum ?? zeros([images.shape[0], height, width, out]);
}

/**
 * [output, finalState] as the kernel returns them, from inputs the op has checked. Intermediate
 * tensors are left to the caller's scope (the op's `op()`, the layer's `tidy`).
 */
export function portableSingleGateConvRNN(
  inputs: PortableConvInputs,
  attrs: SingleGateConvRNNAttrs,
): [Tensor5D, Tensor4D] {
  const {x, biasTerms, initialState, mask} = inputs;
  const [batch, time, height, width, inChannels] = x.shape;
  const out = attrs.outputFeatureChannels;
  const weights = (w: Tensor4D): Tensor4D => (attrs.useFloat32Weights ? w : roundWeightsToFloat16(w));
  const stateShape: [number, number, number, number] = [batch, height, width, out];

  // conv(x_t, W) + b for every step at once, over [batch * time] frames: [batch, time, height, width,
  // out]. (The bias is added to the frames: webgpu's broadcasting binary ops stop at rank 4.)
  const frames = reshape<Rank.R4>(x, [batch * time, height, width, inChannels]);
  let projection: Tensor4D | null = null;
  if (attrs.useLayerInputUnitTransformMode) {
    projection = frames;
  } else if (inputs.inputWeights != null) {
    projection = sameSizeConv(frames, weights(inputs.inputWeights), attrs.padding);
  }
  if (projection != null && biasTerms != null) projection = add<Tensor4D>(projection, biasTerms);
  // Without a projection every step starts from b (or 0).
  const projected =
    projection != null
      ? (unstack(reshape<Rank.R5>(projection, [batch, time, height, width, out]), 1) as Tensor4D[])
      : null;
  const constant: Tensor4D | null =
    projected != null ? null : biasTerms != null ? broadcastTo(biasTerms, stateShape) : zeros(stateShape);
  const u = inputs.recurrentWeights == null ? null : weights(inputs.recurrentWeights);
  // Each step's condition at the state's shape, so that `where` has nothing to tile (src/sequence/step_selection.ts);
  // its shape from `fill`, which runs on the device (tf.zeros makes its values on the host).
  const consumed =
    mask == null
      ? null
      : (unstack(
          reshape<Rank.R5>(
            selectSteps(reshape(mask, [batch, time, 1]), fill([batch, time, height * width * out], 0)).inside,
            [batch, time, height, width, out],
          ),
          1,
        ) as Tensor4D[]);
  const g = neuronOps({type: attrs.neuronType, a: attrs.neuronA, b: attrs.neuronB, c: attrs.neuronC});
  const backward = attrs.layerSequenceDirection === 'backward';

  let h: Tensor4D = initialState ?? zeros(stateShape);
  const states: Tensor4D[] = new Array<Tensor4D>(time);
  for (let step = 0; step < time; step++) {
    const t = backward ? time - 1 - step : step;
    const p = projected?.[t] ?? (constant as Tensor4D);
    const next = g(u == null ? p : add(p, sameSizeConv(h, u, attrs.padding))) as Tensor4D;
    // A skipped step carries the whole image's state over.
    h = consumed == null ? next : where(consumed[t], next, h);
    states[t] = h;
  }
  // A copy, so the final state is never one of the caller's tensors (an initial state all steps skipped).
  return [stack(states, 1) as Tensor5D, h.clone()];
}
