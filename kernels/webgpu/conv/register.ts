/** Registers the image variant's WebGPU kernel (only tfjs-core at run time, as ../register.ts). */
import {registerKernel} from '@tensorflow/tfjs-core';

import {singleGateConvRNNWebGPUConfig} from './single_gate_conv_rnn.js';

registerKernel(singleGateConvRNNWebGPUConfig);
