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
import type {LoadKerasModelOptions} from './load_options.js';
import {KerasModelSource, openSource} from './model_source.js';
import {useSingleGateRNNForSimpleRNN} from './register.js';
import {kerasSavedPaths, nestedModelNames} from './saved_paths.js';
import {useStockClassesWhileBuilding} from './stock_classes.js';
import {normalizeKerasTopology} from './topology.js';
import {planKerasWeights, writeKerasWeights} from './weights_loader.js';

export type {KerasModelFiles, KerasModelSource} from './model_source.js';
export type {LoadKerasModelOptions} from './load_options.js';

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
