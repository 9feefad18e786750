/**
 * The ops are for inference only (like MPS' inference layers). Registering a gradient that refuses
 * turns tfjs' generic "gradient function not found" into a message that says why; the portable path
 * refuses with the same message (see portable/inference.ts).
 */
import {GradConfig, registerGradient} from '@tensorflow/tfjs-core';

import {SingleGateConvRNN} from './image_kernel.js';
import {SingleGateRNN} from './matrix_kernel.js';

/** What to train instead, per kernel. */
const TRAIN_INSTEAD: Readonly<Record<string, string>> = {
  [SingleGateRNN]:
    'train the SingleGateRNN layer instead (model.fit runs it through stock tfjs ops, which have ' +
    'gradients, and prediction keeps the fused kernel; see docs/training.md)',
  [SingleGateConvRNN]:
    'train the SingleGateConvRNN2D layer instead (model.fit runs it through stock tfjs ops, which have ' +
    'gradients; see docs/training.md)',
};

/** Why `tf.grad` through the op of `kernelName` fails, and what to do instead. */
export function noGradientError(kernelName: string = SingleGateRNN): Error {
  return new Error(`${kernelName} is an inference op and has no gradient; ${TRAIN_INSTEAD[kernelName]}`);
}

export const singleGateRNNGradConfig: GradConfig = {
  kernelName: SingleGateRNN,
  gradFunc: () => {
    throw noGradientError(SingleGateRNN);
  },
};

export const singleGateConvRNNGradConfig: GradConfig = {
  kernelName: SingleGateConvRNN,
  gradFunc: () => {
    throw noGradientError(SingleGateConvRNN);
  },
};

registerGradient(singleGateRNNGradConfig);
registerGradient(singleGateConvRNNGradConfig);
