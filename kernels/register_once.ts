/**
 * Registers a kernel unless one is already registered for its name and backend.
 *
 * A process that loads the package through both `import` and `require()` runs its ES module and
 * CommonJS builds side by side, and both register with the one tfjs-core they share: tfjs would log
 * "already registered" for every kernel the second build registers. The first build's kernel is the
 * same code, so keeping it is correct and quiet.
 */
import {getKernel, registerKernel} from '@tensorflow/tfjs-core';
import type {KernelConfig} from '@tensorflow/tfjs-core';

export function registerKernelOnce(config: KernelConfig): void {
  if (getKernel(config.kernelName, config.backendName) == null) registerKernel(config);
}
