/**
 * Picks the best tfjs backend in Node.js: WebGPU through Dawn (the `webgpu` package) when Vulkan offers
 * an adapter, else the cpu backend; the wasm backend when asked for by name.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

import {describeAdapter} from './adapter_info.js';
import {installNavigatorGpu} from './navigator_gpu.js';

export type BackendName = 'webgpu' | 'wasm' | 'cpu';

/** Every backend Node.js can run (webgl needs a browser), best first. */
export const NODE_BACKENDS: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

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

/** The wasm backend (the optional @tensorflow/tfjs-backend-wasm), or why it cannot run. */
async function useWasm(): Promise<BackendChoice> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    throw new BackendUnavailableError(
      `backend 'wasm' was asked for, but @tensorflow/tfjs-backend-wasm cannot be loaded ` +
        `(${(e as Error).message.split('\n')[0]}); install it beside @tensorflow/tfjs-core`,
    );
  }
  if (!(await tf.setBackend('wasm'))) {
    throw new BackendUnavailableError("backend 'wasm' was asked for, but it failed to initialize");
  }
  await tf.ready();
  return {name: 'wasm', detail: 'WebAssembly (XNNPACK), one thread in Node.js'};
}

/**
 * Makes the best backend active and ready: 'webgpu' when Dawn offers an adapter, else 'cpu'.
 * `preferred` ('webgpu', 'wasm' or 'cpu', e.g. from an environment variable) forces one; a forced
 * backend that cannot run, or a name Node.js has no backend for, throws BackendUnavailableError. Call
 * it before anything imports @tensorflow/tfjs-backend-webgpu: it exposes `navigator.gpu` first (see
 * installNavigatorGpu).
 *
 * @example
 * const {name, detail} = await chooseBackend(process.env.BACKEND);
 */
export async function chooseBackend(preferred?: string): Promise<BackendChoice> {
  if (preferred != null && !(NODE_BACKENDS as readonly string[]).includes(preferred)) {
    throw new BackendUnavailableError(
      `backend must be one of ${NODE_BACKENDS.map((b) => `'${b}'`).join(', ')} in Node.js, got '${preferred}'`,
    );
  }
  if (preferred === 'wasm') return useWasm();
  let detail = 'WebGPU not tried';
  if (preferred == null || preferred === 'webgpu') {
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
