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

import {causeOf, trackBuild} from './build_tracking.js';
import {checkLayerGraph, checkTopologyDepth} from './graph_check.js';
import {checkLoadOptions} from './load_options.js';
import {checkWeightEntry, ModelJsonContents, readModelJson} from './model_json.js';
import {useSingleGateRNNForSimpleRNN} from './register.js';
import {useStockClassesWhileBuilding} from './stock_classes.js';
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
 * a tfjs storage URL (`indexeddb://name`, `localstorage://name`: where `model.save` put it), a
 * `KerasModelFiles`, or any tfjs `IOHandler` (e.g. `tf.io.browserFiles`); an IOHandler gives the
 * shards already joined, so a size error cannot name the shard.
 */
export type KerasModelSource = string | KerasModelFiles | io.IOHandler;

/**
 * Options of `loadKerasModel`. Besides its own, it takes `tf.loadLayersModel`'s load options
 * (`requestInit`, `onProgress`, `fetchFunc`, `weightPathPrefix`, `weightUrlConverter`, `strict`), with
 * the loader's guarantees kept: shards come only from model.json's folder or a folder the caller
 * names, and the caller's headers go to model.json's origin only.
 */
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
  /** tfjs' name for `fetch` (as `tf.loadLayersModel` calls it): give one or the other, not two functions. */
  fetchFunc?: typeof fetch;
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
  /**
   * URL source only: the folder the manifest's paths resolve against instead of model.json's (an http(s)
   * URL, relative ones against model.json's; a trailing '/' is implied). Shards may lie in it; on
   * another origin they are fetched without `requestInit`'s headers and credentials.
   */
  weightPathPrefix?: string;
  /**
   * URL source only: gives the URL to fetch for each manifest path (relative results resolve against
   * model.json's URL). The URL must lie in an allowed folder, as a manifest path must: model.json's,
   * `weightPathPrefix` or one of `allowShardsFrom`.
   */
  weightUrlConverter?: (weightFileName: string) => Promise<string>;
  /**
   * Called with the fraction of the weight shards read so far (each shard once, ending with 1); an
   * IOHandler source reads its shards itself, so it is called once, with 1, when the handler is done.
   */
  onProgress?: (fraction: number) => void;
  /**
   * Default true: every manifest weight must fill a variable of the model and every variable must get
   * a weight. false (as `tf.loadLayersModel`'s `strict: false`): a manifest weight that matches no
   * variable is skipped, and a variable without a weight keeps its initializer's value. Shapes must
   * match either way.
   */
  strict?: boolean;
  /**
   * URL source only: milliseconds a request may go without receiving data (no response yet, or no
   * next chunk of its body) before it is stopped with an error naming the URL. Default 60000;
   * `Infinity` waits forever. A caller's `requestInit.signal` still aborts at any time.
   */
  timeoutMs?: number;
}

/** A source opened: its checked model.json, and its shards, read only when asked. */
interface OpenedSource {
  contents: ModelJsonContents;
  readShards(): Promise<LoadedWeightGroup[]>;
}

/** Counts shard reads into `onProgress` fractions. */
function progressOf(options: LoadKerasModelOptions, total: number): () => void {
  const onProgress = options.onProgress;
  if (onProgress == null) return () => undefined;
  let done = 0;
  return () => onProgress(++done / total);
}

/** `fetch` and tfjs' `fetchFunc` are one option under two names. */
function fetchOption(options: LoadKerasModelOptions): typeof fetch | undefined {
  const {fetch: ours, fetchFunc: tfjs} = options;
  if (ours != null && tfjs != null && ours !== tfjs) {
    throw new Error(
      'options.fetch and options.fetchFunc are the same option (fetchFunc is the name tf.loadLayersModel ' +
        'uses): give one, got two different functions',
    );
  }
  return ours ?? tfjs;
}

function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return bytes.slice().buffer;
}

function isIOHandler(source: unknown): source is io.IOHandler {
  return typeof source === 'object' && source !== null && typeof (source as io.IOHandler).load === 'function';
}

function openFiles(files: KerasModelFiles, options: LoadKerasModelOptions): OpenedSource {
  if (typeof files !== 'object' || files === null || typeof files.loadShard !== 'function') {
    throw new Error(
      'source must be a model.json URL, {modelJson, loadShard(path)} or a tfjs IOHandler, got ' +
        (files === null ? 'null' : typeof files),
    );
  }
  const contents = readModelJson(files.modelJson);
  return {
    contents,
    readShards: () => {
      const read = progressOf(options, shardCount(contents));
      return Promise.all(
        contents.weightsManifest.map(async ({paths, weights}) => ({
          paths,
          weights,
          buffers: await Promise.all(
            paths.map(async (p) => {
              const data = toArrayBuffer(await files.loadShard(p));
              read();
              return data;
            }),
          ),
        })),
      );
    },
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
  const fetcher = new ModelFetcher(modelUrl, {...options, fetch: fetchOption(options)});
  const contents = await fetcher.modelJson();
  const urls = await resolveShardUrls(modelUrl, contents.weightsManifest, options);
  return {
    contents,
    readShards: () =>
      fetcher.shards(contents.weightsManifest, urls, progressOf(options, shardCount(contents))),
  };
}

async function openIOHandler(handler: io.IOHandler, options: LoadKerasModelOptions): Promise<OpenedSource> {
  if (handler.load == null) throw new Error('the IOHandler has no load method');
  const artifacts = await handler.load();
  options.onProgress?.(1);
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

function shardCount(contents: ModelJsonContents): number {
  return contents.weightsManifest.reduce((n, group) => n + group.paths.length, 0);
}

/**
 * The handler tfjs registered for a storage URL such as `indexeddb://name` or `localstorage://name`
 * (as tf.loadLayersModel finds it), or null for anything fetched over the network.
 */
function storageHandler(url: string): io.IOHandler | null {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^https?:/i.test(url)) return null;
  const handlers = io.getLoadHandlers(url);
  if (handlers.length > 1) throw new Error(`more than one tfjs IOHandler claims '${url}'`);
  return handlers[0] ?? null;
}

function openSource(source: KerasModelSource, options: LoadKerasModelOptions): Promise<OpenedSource> {
  checkLoadOptions(options);
  const stored = typeof source === 'string' ? storageHandler(source) : null;
  if (stored != null) source = stored;
  if (typeof source === 'string') return openUrl(source, options);
  // These say where to fetch from: a source that is not a URL fetches nothing, so they would be ignored.
  for (const name of [
    'weightPathPrefix',
    'weightUrlConverter',
    'allowShardsFrom',
    'fetch',
    'fetchFunc',
    'timeoutMs',
  ] as const) {
    if (options[name] != null) {
      throw new Error(
        `options.${name} applies to a model.json URL only; this source is ${isIOHandler(source) ? 'an IOHandler' : '{modelJson, loadShard}'}`,
      );
    }
  }
  if (isIOHandler(source)) return openIOHandler(source, options);
  return Promise.resolve(openFiles(source, options));
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
  const strict = options.strict ?? true;
  checkTopologyDepth(modelTopology);
  const normalized = normalizeKerasTopology(modelTopology, {
    replaceSimpleRNN: replace,
    useFloat32Weights: options.useFloat32Weights,
    // Zeros stand in for what the shards will write; without strict, a variable may get no weight
    // and keeps its initializer's value, as with tf.loadLayersModel.
    zeroInitializers: strict && weightsManifest.some((group) => group.weights.length > 0),
    generatedBy,
  });
  checkLayerGraph(normalized.modelConfig);

  // The swap lasts only while tfjs deserializes: modelFromJSON without weights builds the model
  // synchronously before its first await, so the global map is ours for that span only.
  const restore = replace ? useSingleGateRNNForSimpleRNN() : useStockClassesWhileBuilding();
  let built: ReturnType<typeof trackBuild<Promise<LayersModel>>>;
  try {
    built = trackBuild(() => models.modelFromJSON({modelTopology: normalized.modelConfig}));
  } finally {
    restore();
  }
  let model: LayersModel;
  try {
    model = await built.result;
  } catch (e) {
    built.tracking.disposeAll();
    throw new Error(`could not build the model from its topology: ${causeOf(e)}`, {cause: e});
  }
  built.tracking.disposeStrays(model);
  try {
    // The manifest is checked against the model before any shard is downloaded.
    const plan = planKerasWeights(
      model,
      weightsManifest.flatMap((group) => group.weights),
      normalized,
      {strict},
    );
    const groups = await opened.readShards();
    writeKerasWeights(plan, groups, {checkFinite: options.checkFiniteWeights ?? true});
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
