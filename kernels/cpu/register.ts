/**
 * Registers the cpu kernel and its flag. The cpu backend runs the fast float32 kernel; the tfjs env
 * flag SINGLE_GATE_RNN_CPU_REFERENCE switches it to the float64 reference kernel (the tests' judge):
 * `tf.env().set('SINGLE_GATE_RNN_CPU_REFERENCE', true)`, or `?tfjsflags=SINGLE_GATE_RNN_CPU_REFERENCE:true`
 * in a page's address. The image variant (`SingleGateConvRNN`) registers its float64 kernel too.
 */
import type {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {env, KernelConfig, KernelFunc, TensorInfo} from '@tensorflow/tfjs-core';

import {SingleGateConvRNN} from '../../src/contracts/image_kernel.js';
import {SingleGateRNN, SingleGateRNNAttrs, SingleGateRNNInputs} from '../../src/contracts/matrix_kernel.js';
import {singleGateConvRNNCpu} from './conv_single_gate_rnn.js';
import {singleGateRNNCpuFast} from './fast_single_gate_rnn.js';
import {CPU_REFERENCE_FLAG} from './reference_flag.js';
import {singleGateRNNCpuReference} from './single_gate_rnn.js';
import {registerKernelOnce} from '../register_once.js';

env().registerFlag(CPU_REFERENCE_FLAG, () => false);

function singleGateRNNCpu(args: {
  inputs: SingleGateRNNInputs;
  backend: MathBackendCPU;
  attrs: SingleGateRNNAttrs;
}): TensorInfo[] {
  return env().getBool(CPU_REFERENCE_FLAG) ? singleGateRNNCpuReference(args) : singleGateRNNCpuFast(args);
}

export const singleGateRNNCpuConfig: KernelConfig = {
  kernelName: SingleGateRNN,
  backendName: 'cpu',
  kernelFunc: singleGateRNNCpu as unknown as KernelFunc,
};

registerKernelOnce(singleGateRNNCpuConfig);

/** The image variant has one cpu kernel, the float64 loop, whatever the flag says. */
export const singleGateConvRNNCpuConfig: KernelConfig = {
  kernelName: SingleGateConvRNN,
  backendName: 'cpu',
  kernelFunc: singleGateConvRNNCpu as unknown as KernelFunc,
};

registerKernelOnce(singleGateConvRNNCpuConfig);
