/**
 * `loadKerasModel`: loads a `tensorflowjs_converter` layers-model (tf.keras 2.x or Keras 3) as it is,
 * with every SimpleRNN — alone or in Bidirectional — built as a `SingleGateSimpleRNN`.
 *
 * Steps: read and check model.json (model_json.ts; for a URL, also where each shard may come from:
 * model_source.ts, url_source.ts) → normalize the topology (topology.ts) → build the model with SimpleRNN swapped in →
 * check the manifest against the model (`.keras` route names: saved_paths.ts) → only then read the shards, check them and write the weights
 * (weights_loader.ts). Any failure disposes the model: nothing is returned half-loaded.
 */
import {LayersModel, models} from '@tensorflow/tfjs-layers';

import {causeOf, trackBuild} from './build_tracking.js';
import {checkLayerGraph, checkTopologyDepth} from './graph_check.js';
import {KerasLoadedModel, withLoadWarnings} from './load_warnings.js';
import {KerasModelSource, openSource} from './model_source.js';
import {useSingleGateRNNForSimpleRNN} from './register.js';
import {kerasSavedPaths, nestedModelNames} from './saved_paths.js';
import {useStockClassesWhileBuilding} from './stock_classes.js';
import {normalizeKerasTopology} from './topology.js';
import {planKerasWeights, writeKerasWeights} from './weights_loader.js';

export type {KerasModelFiles, KerasModelSource} from './model_source.js';

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
   * variable is skipped, and a variable without a weight keeps its initializer's value; both are
   * named in one console warning, also kept in the returned model's `loadWarnings`. Shapes must
   * match either way. The `.keras` route's optimizer state (`optimizer/vars/*`) is skipped either way.
   */
  strict?: boolean;
  /**
   * URL source only: milliseconds a request may go without receiving data (no response yet, or no
   * next chunk of its body) before it is stopped with an error naming the URL. Default 60000;
   * `Infinity` waits forever. A caller's `requestInit.signal` still aborts at any time.
   */
  timeoutMs?: number;
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
): Promise<KerasLoadedModel> {
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
      {
        ...normalized,
        savedPaths: kerasSavedPaths(normalized.modelConfig, model),
        nestedModels: nestedModelNames(normalized.modelConfig),
      },
      {strict},
    );
    const groups = await opened.readShards();
    writeKerasWeights(plan, groups, {checkFinite: options.checkFiniteWeights ?? true});
    return withLoadWarnings(model, plan);
  } catch (e) {
    model.dispose();
    throw e;
  }
}
