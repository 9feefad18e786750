/**
 * Opening a `loadKerasModel` source: a model.json URL (url_source.ts), a tfjs storage URL, a tfjs
 * IOHandler, or `{modelJson, loadShard}`. Each gives its checked model.json at once and reads its
 * shards only when asked, after the manifest has been checked against the model.
 */
import {io} from '@tensorflow/tfjs-core';

import {checkLoadOptions} from './load_options.js';
import type {LoadKerasModelOptions} from './load_options.js';
import {checkWeightEntry, ModelJsonContents, readModelJson} from './model_json.js';
import {ModelFetcher, resolveShardUrls} from './url_source.js';
import type {LoadedWeightGroup} from './weights_loader.js';

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

export function isIOHandler(source: unknown): source is io.IOHandler {
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

export function openSource(source: KerasModelSource, options: LoadKerasModelOptions): Promise<OpenedSource> {
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
