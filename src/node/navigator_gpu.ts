/// <reference types="node" />
import {mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {installSyncReadGuard} from './sync_read_guard.js';

/**
 * Exposes Dawn's WebGPU (the optional `webgpu` package) as `navigator.gpu`, with the WebGPU globals
 * (GPUBufferUsage, ...) it brings. Call it before @tensorflow/tfjs-backend-webgpu is first imported: that
 * backend registers itself only if `navigator.gpu` exists when it is imported. Without a GPU, Vulkan
 * can be pointed at SwiftShader, e.g. VK_ICD_FILENAMES=<chromium's vk_swiftshader_icd.json>.
 *
 * @param dawnFlags passed to the `webgpu` package's `create()`, e.g. `['backend=vulkan']`.
 */
export async function installNavigatorGpu(dawnFlags: string[] = []): Promise<GPU> {
  // Vulkan's window-system layer complains on stderr when there is no session directory, which a
  // headless machine often lacks; give it a private one.
  if (process.env.XDG_RUNTIME_DIR == null) {
    process.env.XDG_RUNTIME_DIR = await mkdtemp(join(tmpdir(), 'xdg-'));
  }
  const {create, globals} = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create(dawnFlags);
  installSyncReadGuard();
  // Node 21 and later have a `navigator` of their own: keep it, adding `gpu`.
  const existing = (globalThis as {navigator?: object}).navigator;
  if (existing != null) {
    Object.defineProperty(existing, 'gpu', {value: gpu, configurable: true, writable: true});
  } else {
    Object.defineProperty(globalThis, 'navigator', {value: {gpu}, configurable: true, writable: true});
  }
  return gpu;
}
