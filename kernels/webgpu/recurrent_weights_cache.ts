/**
 * U as the recurrence reads it (recurrent_weights_layout.ts), kept across calls for as long as the
 * weights tensor it was prepared from lives. tfjs tensors are immutable (a Variable's assign gives it
 * new data, with a new dataId), so a prepared copy keyed on the weights' dataId stays valid until that
 * data is released; it is released with it. This saves one dispatch, its uniform buffer and its bind
 * group per call, and a read of U on the GPU.
 *
 * The webgpu backend announces no disposal, so the cache hooks `disposeData` of each backend it serves
 * (src/contracts/backend_hooks.ts): when the backend reports the weights' data released (or its
 * release deferred until the queued work is submitted), the prepared copies go the same way.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type {DataId, TensorInfo} from '@tensorflow/tfjs-core';

import {hookBackend} from '../../src/contracts/backend_hooks.js';

/** Prepared copies per weights dataId, one per layout ('f32' / 'f16'). */
type Cache = Map<DataId, Map<string, TensorInfo>>;

const caches = new WeakMap<WebGPUBackend, Cache>();

/**
 * The prepared copy of `weights` in the layout `layoutKey` names, made by `prepare` on the first call
 * and returned as it is while `weights` lives. The caller must not dispose it.
 */
export function cachedRecurrentWeights(
  backend: WebGPUBackend,
  weights: TensorInfo,
  layoutKey: string,
  prepare: () => TensorInfo,
): TensorInfo {
  const cache = cacheOf(backend);
  let layouts = cache.get(weights.dataId);
  const cached = layouts?.get(layoutKey);
  if (cached != null) return cached;
  const prepared = prepare();
  if (layouts == null) {
    layouts = new Map();
    cache.set(weights.dataId, layouts);
  }
  layouts.set(layoutKey, prepared);
  return prepared;
}

function cacheOf(backend: WebGPUBackend): Cache {
  let cache = caches.get(backend);
  if (cache == null) {
    cache = new Map();
    caches.set(backend, cache);
    releaseWithWeights(backend, cache);
  }
  return cache;
}

function releaseWithWeights(backend: WebGPUBackend, cache: Cache): void {
  hookBackend(backend, 'recurrentWeightsCache', {
    released: (dataId, disposeData) => {
      const layouts = cache.get(dataId);
      if (layouts == null) return;
      cache.delete(dataId);
      for (const prepared of layouts.values()) disposeData(prepared.dataId, true);
    },
  });
}
