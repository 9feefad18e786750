/**
 * Node.js setup for the WebGPU backend through the `webgpu` package (Dawn). Must run before
 * @tensorflow/tfjs-backend-webgpu is first imported: the backend registers itself only if
 * `navigator.gpu` exists at import time. Without a GPU, point Vulkan at SwiftShader, e.g.
 * VK_ICD_FILENAMES=<chromium's vk_swiftshader_icd.json>.
 */
export async function installNavigatorGpu(): Promise<GPU> {
  const {create, globals} = await import('webgpu');
  Object.assign(globalThis, globals);
  const gpu = create([]);
  Object.defineProperty(globalThis, 'navigator', {value: {gpu}, configurable: true, writable: true});
  return gpu;
}

/** The adapter's description, as far as this Dawn build reports it. */
export async function describeAdapter(gpu: GPU): Promise<Record<string, string>> {
  const adapter = await gpu.requestAdapter({powerPreference: 'high-performance'});
  if (adapter == null) return {};
  const info = adapter.info;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
  };
}
