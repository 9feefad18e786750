/** Registers the image variant's WebGPU kernel (only tfjs-core at run time, as ../register.ts). */

import {singleGateConvRNNWebGPUConfig} from './single_gate_conv_rnn.js';
import {registerKernelOnce} from '../../register_once.js';

registerKernelOnce(singleGateConvRNNWebGPUConfig);
