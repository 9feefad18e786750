/**
 * `loadKerasModel`: loads a `tensorflowjs_converter` layers-model (tf.keras 2.x or Keras 3) as it is,
 * with every SimpleRNN — alone or in Bidirectional — built as a `SingleGateSimpleRNN`.
 *
 * Steps: read and check model.json (model_json.ts; for a URL, also where each shard may come from:
 * url_source.ts) → normalize the topology (topology.ts) → build the model with SimpleRNN swapped in →
 * check the manifest against the model → only then read the shards, check them and write the weights
 * (weights_loader.ts). Any failure disposes the model: nothing is returned half-loaded.
 */
import {io} from '@tensorflow/tfjs-core';
import {LayersModel, models} from '@tensorflow/tfjs-layers';

import {checkWeightEntry, ModelJsonContents, readModelJson} from './model_json.js';
import {useSingleGateRNNForSimpleRNN} from './register.js';
import {normalizeKerasTopology} from './topology.js';
import {ModelFetcher, resolveShardUrls} from './url_source.js';
import {LoadedWeightGroup, planKerasWeights, writeKerasWeights} from './weights_loader.js';

/**
 * A converted model given as its parsed model.json plus a way to read its shards (e.g. from disk:
 * `readModelFolder` of `tfjs-single-gate-rnn/node` builds one that keeps to the model's folder).
 */
export interface KerasModelFiles {
  /** The parsed model.json. */
  modelJson: unknown;
  /**
   * Reads a shard by the path the manifest gives (relative to model.json), as written in the file:
   * confining it (no `..`, no absolute path) is this function's job.
   */
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
  /**
   * Passed to the fetches of a URL source that go to model.json's origin. Requests to any other
   * origin (shards allowed by `allowShardsFrom`, redirects) get neither its headers nor its
   * credentials.
   */
  requestInit?: RequestInit;
  /**
   * URL source only: folders, besides the model's own, that the manifest's shard paths may point
   * into, e.g. `['https://cdn.example.com/weights/']` (relative URLs resolve against model.json's; a
   * trailing '/' is implied). By default every shard must lie in model.json's folder: a path to another
   * origin, a `data:` URL, an absolute path elsewhere or `..` above the folder is an error.
   */
  allowShardsFrom?: readonly string[];
}

/** A source opened: its checked model.json, and its shards, read only when asked. */
interface OpenedSource {
  contents: ModelJsonContents;
  readShards(): Promise<LoadedWeightGroup[]>;
}

function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return bytes.slice().buffer;
}

function isIOHandler(source: unknown): source is io.IOHandler {
  return typeof source === 'object' && source !== null && typeof (source as io.IOHandler).load === 'function';
}

function openFiles(files: KerasModelFiles): OpenedSource {
  if (typeof files !== 'object' || files === null || typeof files.loadShard !== 'function') {
    throw new Error(
      'source must be a model.json URL, {modelJson, loadShard(path)} or a tfjs IOHandler, got ' +
        (files === null ? 'null' : typeof files),
    );
  }
  const contents = readModelJson(files.modelJson);
  return {
    contents,
    readShards: () =>
      Promise.all(
        contents.weightsManifest.map(async ({paths, weights}) => ({
          paths,
          weights,
          buffers: await Promise.all(paths.map(async (p) => toArrayBuffer(await files.loadShard(p)))),
        })),
      ),
  };
}

async function openUrl(url: string, options: LoadKerasModelOptions): Promise<OpenedSource> {
  let modelUrl: URL;
  try {
    modelUrl = typeof location !== 'undefined' ? new URL(url, location.href) : new URL(url);
  } catch (e) {
    // Outside a page there is no base for a relative URL.
    throw new Error(`the model.json URL '${url}' is not a valid absolute URL`, {cause: e});
  }
  const fetcher = new ModelFetcher(modelUrl, options);
  const contents = await fetcher.modelJson();
  const urls = resolveShardUrls(modelUrl, contents.weightsManifest, options.allowShardsFrom);
  return {
    contents,
    readShards: () =>
      Promise.all(
        contents.weightsManifest.map(async ({paths, weights}, g) => ({
          paths,
          weights,
          buffers: await Promise.all(
            urls[g].map(async (u) => (await fetcher.get(u, 'weight shard')).arrayBuffer()),
          ),
        })),
      ),
  };
}

async function openIOHandler(handler: io.IOHandler): Promise<OpenedSource> {
  if (handler.load == null) throw new Error('the IOHandler has no load method');
  const artifacts = await handler.load();
  const weights = artifacts.weightSpecs ?? [];
  weights.forEach((entry, i) => checkWeightEntry(entry, `IOHandler weightSpecs[${i}]`));
  const data = artifacts.weightData;
  const buffers = data == null ? [] : Array.isArray(data) ? data : [data];
  const paths = ['(IOHandler weightData)'];
  const present = weights.length > 0 || buffers.length > 0;
  return {
    contents: {
      modelTopology: artifacts.modelTopology,
      generatedBy: artifacts.generatedBy,
      weightsManifest: present ? [{paths, weights}] : [],
    },
    readShards: () => Promise.resolve(present ? [{paths, weights, buffers}] : []),
  };
}

function openSource(source: KerasModelSource, options: LoadKerasModelOptions): Promise<OpenedSource> {
  if (typeof source === 'string') return openUrl(source, options);
  if (isIOHandler(source)) return openIOHandler(source);
  return Promise.resolve(openFiles(source));
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
  const opened = await openSource(source, options);
  const {modelTopology, generatedBy, weightsManifest} = opened.contents;
  const replace = options.replaceSimpleRNN ?? true;
  const normalized = normalizeKerasTopology(modelTopology, {
    replaceSimpleRNN: replace,
    useFloat32Weights: options.useFloat32Weights,
    zeroInitializers: weightsManifest.some((group) => group.weights.length > 0),
    generatedBy,
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
    // The manifest is checked against the model before any shard is downloaded.
    const plan = planKerasWeights(
      model,
      weightsManifest.flatMap((group) => group.weights),
      normalized,
    );
    const groups = await opened.readShards();
    writeKerasWeights(plan, groups, {checkFinite: options.checkFiniteWeights ?? true});
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
