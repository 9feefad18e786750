/**
 * Registers the WebGPU kernel. Only tfjs-core is imported at run time (the webgpu package is used for
 * types alone), so importing this without @tensorflow/tfjs-backend-webgpu installed is harmless: the
 * kernel just never runs.
 */
import {registerKernel} from '@tensorflow/tfjs-core';

import {singleGateRNNBidirectionalWebGPUConfig} from './bidirectional.js';
import {singleGateRNNWebGPUConfig} from './single_gate_rnn.js';
// The image variant's kernel (SingleGateConvRNN) registers itself alongside.
import './conv/register.js';

registerKernel(singleGateRNNWebGPUConfig);
registerKernel(singleGateRNNBidirectionalWebGPUConfig);
