/**
 * Registers the WebGPU kernel. Only tfjs-core is imported at run time (the webgpu package is used for
 * types alone), so importing this without @tensorflow/tfjs-backend-webgpu installed is harmless: the
 * kernel just never runs.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import {findBackend} from '@tensorflow/tfjs-core';

import {registerPairPolicy} from '../../src/sequence/pair_policy.js';
import {singleGateRNNBidirectionalWebGPUConfig, webgpuPairPolicy} from './bidirectional.js';
import {singleGateRNNWebGPUConfig} from './single_gate_rnn.js';
import {registerKernelOnce} from '../register_once.js';
// The image variant's kernel (SingleGateConvRNN) registers itself alongside.
import './conv/register.js';

registerKernelOnce(singleGateRNNWebGPUConfig);
registerKernelOnce(singleGateRNNBidirectionalWebGPUConfig);
// Asked only while webgpu is the active backend, so the backend exists.
registerPairPolicy(
  'webgpu',
  webgpuPairPolicy(() => (findBackend('webgpu') as unknown as WebGPUBackend).device.limits),
);
