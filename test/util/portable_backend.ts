/**
 * A test backend with no kernel of ours, to run every spec through the portable path: a second cpu
 * backend, `cpu-portable`, with every cpu kernel except `SingleGateRNN` and `SingleGateConvRNN`. tfjs looks kernels up by
 * (kernel name, backend name), so copying the configs under the new name is all a backend needs.
 */
import {MathBackendCPU} from '@tensorflow/tfjs-backend-cpu';
import {getKernelsForBackend, registerBackend, registerKernel} from '@tensorflow/tfjs-core';
import {SingleGateConvRNN as SingleGateConvRNNKernelName} from '../../src/contracts/image_kernel.js';
import {SingleGateRNN as SingleGateRNNKernelName} from '../../src/contracts/matrix_kernel.js';

export const PORTABLE_TEST_BACKEND = 'cpu-portable';

// Priority below cpu's, so tfjs never picks it on its own.
registerBackend(PORTABLE_TEST_BACKEND, () => new MathBackendCPU(), -1);
for (const config of getKernelsForBackend('cpu')) {
  if (config.kernelName === SingleGateRNNKernelName || config.kernelName === SingleGateConvRNNKernelName) {
    continue;
  }
  registerKernel({...config, backendName: PORTABLE_TEST_BACKEND});
}
