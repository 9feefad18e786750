/**
 * `loadKerasModel`: loads a `tensorflowjs_converter` layers-model (tf.keras 2.x or Keras 3) as it is,
 * with every SimpleRNN — alone or in Bidirectional — built as a `SingleGateSimpleRNN`.
 *
 * Steps: read model.json → normalize the topology (topology.ts) → build the model with SimpleRNN
 * swapped in → check shards, manifest and model against each other and write the weights
 * (weights_loader.ts). Any failure disposes the model: nothing is returned half-loaded.
 */
import {io} from '@tensorflow/tfjs-core';
import {LayersModel, models} from '@tensorflow/tfjs-layers';

import {useSingleGateRNNForSimpleRNN} from './register.js';
import {normalizeKerasTopology} from './topology.js';
import {LoadedWeightGroup, loadKerasWeights} from './weights_loader.js';

/** A converted model given as its parsed model.json plus a way to read its shards (e.g. from disk). */
export interface KerasModelFiles {
  /** The parsed model.json. */
  modelJson: unknown;
  /** Reads a shard by the path the manifest gives (relative to model.json). */
  loadShard(path: string): Promise<ArrayBuffer | ArrayBufferView>;
}

/**
 * Where the model comes from: the URL of its model.json (fetched with `fetch`, shards relative to it),
 * a `KerasModelFiles`, or any tfjs `IOHandler` (e.g. `tf.io.browserFiles`); an IOHandler gives the
 * shards already joined, so a size error cannot name the shard.
 */
export type KerasModelSource = string | KerasModelFiles | io.IOHandler;

export interface LoadKerasModelOptions {
  /** Build SimpleRNN layers as SingleGateSimpleRNN. Default true; false builds stock tfjs layers. */
  replaceSimpleRNN?: boolean;
  /**
   * Default true: W and U in float32, so outputs match Keras. false: float16 precision (MPS' default),
   * about 1e-3 relative error.
   */
  useFloat32Weights?: boolean;
  /** Refuse weights holding NaN or ±Infinity. Default true. */
  checkFiniteWeights?: boolean;
  /** `fetch` for URL sources. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Passed to every fetch of a URL source. */
  requestInit?: RequestInit;
}

type ManifestGroup = io.WeightsManifestConfig[number];

interface RawModel {
  topology: unknown;
  generatedBy: string | undefined;
  groups: LoadedWeightGroup[];
}

function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return bytes.slice().buffer;
}

function isIOHandler(source: unknown): source is io.IOHandler {
  return typeof source === 'object' && source !== null && typeof (source as io.IOHandler).load === 'function';
}

function manifestOf(modelJson: unknown): io.WeightsManifestConfig {
  const manifest = (modelJson as {weightsManifest?: unknown}).weightsManifest;
  if (manifest == null) return [];
  if (!Array.isArray(manifest))
    throw new Error(`model.json: weightsManifest must be a list, got ${typeof manifest}`);
  manifest.forEach((group: unknown, g) => {
    const g0 = group as Partial<ManifestGroup> | null;
    const ok = typeof g0 === 'object' && g0 !== null && Array.isArray(g0.paths) && Array.isArray(g0.weights);
    if (!ok) throw new Error(`model.json: weightsManifest[${g}] must be {paths: [...], weights: [...]}`);
  });
  return manifest as io.WeightsManifestConfig;
}

async function readFiles(files: KerasModelFiles): Promise<RawModel> {
  const json = files.modelJson;
  if (typeof json !== 'object' || json === null || !('modelTopology' in json)) {
    throw new Error(
      'model.json must be an object with a modelTopology (a tensorflowjs_converter layers-model)',
    );
  }
  const groups = await Promise.all(
    manifestOf(json).map(async (group) => ({
      paths: group.paths,
      weights: group.weights,
      buffers: await Promise.all(group.paths.map(async (p) => toArrayBuffer(await files.loadShard(p)))),
    })),
  );
  const {modelTopology, generatedBy} = json as {modelTopology: unknown; generatedBy?: string};
  return {topology: modelTopology, generatedBy, groups};
}

function filesFromUrl(url: string, options: LoadKerasModelOptions): Promise<KerasModelFiles> {
  const fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  const base = typeof location !== 'undefined' ? new URL(url, location.href) : new URL(url);
  const get = async (target: URL, what: string): Promise<Response> => {
    const response = await fetchFn(target.href, options.requestInit);
    if (!response.ok) throw new Error(`fetching ${what} ${target.href} failed: HTTP ${response.status}`);
    return response;
  };
  return (async () => {
    const modelJson: unknown = await (await get(base, 'model.json')).json();
    return {
      modelJson,
      loadShard: async (path: string) => (await get(new URL(path, base), 'weight shard')).arrayBuffer(),
    };
  })();
}

async function readSource(source: KerasModelSource, options: LoadKerasModelOptions): Promise<RawModel> {
  if (typeof source === 'string') return readFiles(await filesFromUrl(source, options));
  if (isIOHandler(source)) {
    if (source.load == null) throw new Error('the IOHandler has no load method');
    const artifacts = await source.load();
    const weights = artifacts.weightSpecs ?? [];
    const data = artifacts.weightData;
    const buffers = data == null ? [] : Array.isArray(data) ? data : [data];
    return {
      topology: artifacts.modelTopology,
      generatedBy: artifacts.generatedBy,
      groups:
        weights.length > 0 || buffers.length > 0
          ? [{paths: ['(IOHandler weightData)'], weights, buffers}]
          : [],
    };
  }
  return readFiles(source);
}

/**
 * Loads a Keras model converted by `tensorflowjs_converter` (layers-model format), from tf.keras 2.x
 * or Keras 3, as the converter wrote it: Keras 3 topology and weight names are normalized (see
 * topology.ts for the list), and every SimpleRNN runs on the `singleGateRNN` op.
 *
 * @example
 * const model = await loadKerasModel('https://example.com/model/model.json');
 * const y = model.predict(x);
 */
export async function loadKerasModel(
  source: KerasModelSource,
  options: LoadKerasModelOptions = {},
): Promise<LayersModel> {
  const raw = await readSource(source, options);
  const replace = options.replaceSimpleRNN ?? true;
  const normalized = normalizeKerasTopology(raw.topology, {
    replaceSimpleRNN: replace,
    useFloat32Weights: options.useFloat32Weights,
    zeroInitializers: raw.groups.some((group) => group.weights.length > 0),
    generatedBy: raw.generatedBy,
  });

  // The swap lasts only while tfjs deserializes: modelFromJSON without weights builds the model
  // synchronously before its first await, so the global map is ours for that span only.
  const restore = replace ? useSingleGateRNNForSimpleRNN() : () => undefined;
  let building: Promise<LayersModel>;
  try {
    building = models.modelFromJSON({
      modelTopology: normalized.modelConfig,
    });
  } finally {
    restore();
  }
  let model: LayersModel;
  try {
    model = await building;
  } catch (e) {
    throw new Error(`could not build the model from its topology: ${(e as Error).message}`, {cause: e});
  }
  try {
    loadKerasWeights(model, raw.groups, normalized, {checkFinite: options.checkFiniteWeights ?? true});
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
