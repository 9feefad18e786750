/**
 * Converting convolution kernels between tfjs' and Keras' layout and MPS' OHWI, which the image
 * variant takes. Both compute the same cross-correlation (no kernel flip), so the conversion is a
 * transpose and nothing else.
 */
import {op, Tensor4D, TensorLike, transpose} from '@tensorflow/tfjs-core';

import {formatShape, toFloatTensor} from '../checks/arguments.js';

function rank4(value: Tensor4D | TensorLike, argName: string, layout: string): Tensor4D {
  const kernel = toFloatTensor<Tensor4D>(value, argName);
  if (kernel.rank !== 4) {
    throw new Error(
      `${argName} must be rank 4 ${layout}, got rank ${kernel.rank} with shape ${formatShape(kernel.shape)}`,
    );
  }
  return kernel;
}

function kerasConvKernelToOHWI_(kernel: Tensor4D | TensorLike): Tensor4D {
  return transpose(rank4(kernel, 'kernel', '[kernelHeight, kernelWidth, in, out]'), [3, 0, 1, 2]);
}

/**
 * A tfjs or Keras conv kernel (`tf.conv2d`'s filter, `Conv2D`'s and `ConvLSTM2D`'s `kernel`:
 * `[kernelHeight, kernelWidth, in, out]`) as the OHWI weights `singleGateConvRNN` and the
 * `SingleGateConvRNN2D` layer take: `[out, kernelHeight, kernelWidth, in]`. A Keras layer with
 * `padding: 'same'` matches `padding: 'same'` here (tfjs' placement for even kernels).
 *
 * @param kernel `[kernelHeight, kernelWidth, in, out]` float32.
 */
export const kerasConvKernelToOHWI = op({kerasConvKernelToOHWI_});

function ohwiToKerasConvKernel_(weights: Tensor4D | TensorLike): Tensor4D {
  return transpose(rank4(weights, 'weights', '[out, kernelHeight, kernelWidth, in]'), [1, 2, 3, 0]);
}

/**
 * The inverse of `kerasConvKernelToOHWI`: OHWI weights `[out, kernelHeight, kernelWidth, in]` as a
 * tfjs or Keras conv kernel `[kernelHeight, kernelWidth, in, out]` (for `tf.conv2d`, or to save into a
 * Keras layer).
 *
 * @param weights `[out, kernelHeight, kernelWidth, in]` float32.
 */
export const ohwiToKerasConvKernel = op({ohwiToKerasConvKernel_});
