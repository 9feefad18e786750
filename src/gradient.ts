/**
 * The op is for inference only (like MPS' inference layers). Registering a gradient that refuses
 * turns tfjs' generic "gradient function not found" into a message that says why.
 */
import {GradConfig, registerGradient} from '@tensorflow/tfjs-core';

import {SingleGateRNN} from './kernel_names.js';

export const singleGateRNNGradConfig: GradConfig = {
  kernelName: SingleGateRNN,
  gradFunc: () => {
    throw new Error(
      `${SingleGateRNN} is an inference op and has no gradient; train with tf.layers.simpleRNN and ` +
        `copy the weights into the SingleGateRNN layer for inference`,
    );
  },
};

registerGradient(singleGateRNNGradConfig);
