/**
 * Picks the best tfjs backend in Node.js: WebGPU through Dawn (the `webgpu` package) when Vulkan offers
 * an adapter, else the cpu backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

import {describeAdapter} from './adapter_info.js';
import {installNavigatorGpu} from './navigator_gpu.js';

export type BackendName = 'webgpu' | 'cpu';

export interface BackendChoice {
  name: BackendName;
  /** What was found: the adapter's vendor/architecture/description, or why WebGPU is not used. */
  detail: string;
}

/**
 * The backend asked for cannot run on this machine (e.g. 'webgpu' without a Vulkan device). Its message
 * is one line that says why and what to do, fit to show a user as it is.
 */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}

/** Why WebGPU is missing, with what usually helps on a machine without a GPU. */
const NO_ADAPTER =
  'Dawn found no usable Vulkan device (without a GPU, point VK_ICD_FILENAMES at a software driver ' +
  "such as Chromium's vk_swiftshader_icd.json)";

/**
 * Makes the best backend active and ready: 'webgpu' when Dawn offers an adapter, else 'cpu'.
 * `preferred` ('webgpu' or 'cpu', e.g. from an environment variable) forces one; a forced 'webgpu'
 * that cannot run throws BackendUnavailableError. Call it before anything imports
 * @tensorflow/tfjs-backend-webgpu: it exposes `navigator.gpu` first (see installNavigatorGpu).
 */
export async function chooseBackend(preferred?: string): Promise<BackendChoice> {
  if (preferred != null && preferred !== 'webgpu' && preferred !== 'cpu') {
    throw new Error(`backend must be 'webgpu' or 'cpu', got '${preferred}'`);
  }
  let detail = 'WebGPU not tried';
  if (preferred !== 'cpu') {
    try {
      const gpu = await installNavigatorGpu();
      const adapter = await gpu.requestAdapter({powerPreference: 'high-performance'});
      if (adapter != null) {
        await import('@tensorflow/tfjs-backend-webgpu');
        if (await tf.setBackend('webgpu')) {
          await tf.ready();
          return {name: 'webgpu', detail: describeAdapter(adapter.info)};
        }
        detail = 'the webgpu backend failed to initialize';
      } else {
        detail = NO_ADAPTER;
      }
    } catch (e) {
      detail = `WebGPU is unavailable: ${(e as Error).message.split('\n')[0]}`;
    }
    if (preferred === 'webgpu') {
      throw new BackendUnavailableError(`backend 'webgpu' was asked for, but ${detail}`);
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return {name: 'cpu', detail};
}
