/**
 * The op is for inference only (like MPS' inference layers). Registering a gradient that refuses
 * turns tfjs' generic "gradient function not found" into a message that says why; the portable path
 * refuses with the same message (see portable/inference.ts).
 */
import {GradConfig, registerGradient} from '@tensorflow/tfjs-core';

import {SingleGateRNN} from './kernel_names.js';

/** Why `tf.grad` through the op fails, and what to do instead. */
export function noGradientError(): Error {
  return new Error(
    `${SingleGateRNN} is an inference op and has no gradient; train with tf.layers.simpleRNN and ` +
      `copy the weights into the SingleGateRNN layer for inference`,
  );
}

export const singleGateRNNGradConfig: GradConfig = {
  kernelName: SingleGateRNN,
  gradFunc: () => {
    throw noGradientError();
  },
};

registerGradient(singleGateRNNGradConfig);
