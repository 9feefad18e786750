/**
 * Picks the best tfjs backend in Node.js: WebGPU through Dawn (the `webgpu` package) when Vulkan offers
 * an adapter, else the cpu backend. Shared by the demo and the benchmark.
 */
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export interface BackendChoice {
  name: 'webgpu' | 'cpu';
  /** What was found: the adapter's vendor/architecture/description, or why WebGPU is not used. */
  detail: string;
}

/**
 * Exposes Dawn's `navigator.gpu` (the `webgpu` package). Must run before
 * @tensorflow/tfjs-backend-webgpu is first imported: the backend registers itself only if
 * `navigator.gpu` exists at import time. Without a GPU, Vulkan can be pointed at SwiftShader, e.g.
 * VK_ICD_FILENAMES=<chromium's vk_swiftshader_icd.json>.
 */
export async function installNavigatorGpu(): Promise<GPU> {
  // Vulkan's window-system layer complains on stderr when there is no session directory, which a
  // headless machine often lacks; give it a private one.
  if (process.env.XDG_RUNTIME_DIR == null) {
    process.env.XDG_RUNTIME_DIR = await mkdtemp(join(tmpdir(), 'xdg-'));
  }
  const {create, globals} = (await import('webgpu')) as {
    create: (flags: string[]) => GPU;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, globals);
  const gpu = create([]);
  Object.defineProperty(globalThis, 'navigator', {value: {gpu}, configurable: true, writable: true});
  return gpu;
}

/** The adapter's vendor, architecture, device and description, as far as Dawn reports them. */
export function adapterFields(info: GPUAdapterInfo | undefined): Record<string, string> {
  if (info == null) return {};
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
  };
}

/** The same, for humans: 'nvidia / hopper / ... '. */
export function describeAdapter(info: GPUAdapterInfo | undefined): string {
  const parts = Object.values(adapterFields(info)).filter((p) => p);
  return parts.length > 0 ? parts.join(' / ') : 'an adapter without a description';
}

/**
 * Exposes Dawn's `navigator.gpu` before the webgpu backend is loaded (it looks for it when it
 * registers), then asks for an adapter. `preferred` ('webgpu' or 'cpu') overrides the choice.
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
        if (await tf.setBackend('webgpu')) return {name: 'webgpu', detail: describeAdapter(adapter.info)};
        detail = 'the webgpu backend failed to initialize';
      } else {
        detail = 'no WebGPU adapter: Dawn found no usable Vulkan device';
      }
    } catch (e) {
      detail = `WebGPU unavailable: ${(e as Error).message}`;
    }
    if (preferred === 'webgpu') throw new Error(`backend 'webgpu' was asked for, but ${detail}`);
  }
  await tf.setBackend('cpu');
  return {name: 'cpu', detail};
}
