/**
 * The backends this browser has for the op, best first, and what the GPU behind them is: the page
 * names the adapter and says when it is a software one (SwiftShader, llvmpipe, lavapipe), because
 * timings on an emulated GPU say little about a real one.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';

export interface BackendCandidate {
  name: string;
  /** Imports the backend's package (which registers it with tfjs). */
  load(): Promise<unknown>;
}

/** Every backend with a fused kernel, best first. */
export const BACKENDS: readonly BackendCandidate[] = [
  {name: 'webgpu', load: () => import('@tensorflow/tfjs-backend-webgpu')},
  {name: 'webgl', load: () => import('@tensorflow/tfjs-backend-webgl')},
  {
    name: 'wasm',
    load: async () => {
      // The build copies the backend's binaries into wasm/ beside the page.
      setWasmPaths(new URL('wasm/', location.href).href);
      return import('@tensorflow/tfjs-backend-wasm');
    },
  },
  {name: 'cpu', load: () => Promise.resolve()},
];

/** The GPU behind a backend: its name, and whether it is emulated on the CPU. */
export interface Adapter {
  description: string;
  software: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|basic render/i;

async function webgpuAdapter(): Promise<Adapter | null> {
  const gpu = (navigator as Navigator & {gpu?: GPU}).gpu;
  const adapter = await gpu?.requestAdapter();
  if (adapter == null) return null;
  const {vendor, architecture, device, description} = adapter.info;
  const name = [vendor, architecture, device, description].filter((s) => s !== '').join(' ');
  const fallback = (adapter.info as GPUAdapterInfo & {isFallbackAdapter?: boolean}).isFallbackAdapter;
  return {description: name || 'unnamed adapter', software: fallback === true || SOFTWARE.test(name)};
}

function webglAdapter(): Adapter | null {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (gl == null) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info != null ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  return {description: name, software: SOFTWARE.test(name)};
}

/** The adapter a GPU backend runs on; null for cpu and wasm, which run on the CPU. */
export async function adapterOf(backend: string): Promise<Adapter | null> {
  if (backend === 'webgpu') return webgpuAdapter();
  if (backend === 'webgl') return webglAdapter();
  return null;
}

export interface BackendPick {
  name: string;
  /** Why each better candidate was passed over, best first. */
  skipped: string[];
}

/** Makes `candidate` active and ready; a reason when it cannot start here. */
export async function startBackend(candidate: BackendCandidate): Promise<string | null> {
  if (candidate.name === 'webgpu' && !('gpu' in navigator)) return 'this browser has no navigator.gpu';
  try {
    await candidate.load();
    // setBackend answers false when the backend's factory fails (no adapter, say).
    if (await tf.setBackend(candidate.name)) {
      await tf.ready();
      return null;
    }
    return 'the backend did not start';
  } catch (e) {
    return (e as Error).message;
  }
}

/** Makes the best usable backend active; throws listing every candidate's reason if none starts. */
export async function pickBackend(candidates: readonly BackendCandidate[] = BACKENDS): Promise<BackendPick> {
  const skipped: string[] = [];
  for (const candidate of candidates) {
    const why = await startBackend(candidate);
    if (why == null) return {name: tf.getBackend(), skipped};
    skipped.push(`${candidate.name}: ${why}`);
  }
  throw new Error(`no backend could run the op: ${skipped.join('; ')}`);
}
