/**
 * What the drop zone shows for a converted Keras model: its layers, which of them run on the
 * `singleGateRNN` op, and its output for a random input of the right shape.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import * as entry from '../../src/index.js';
import {loadKerasModel, SingleGateSimpleRNN} from '../../src/index.js';
import type {KerasModelSource} from '../../src/index.js';

export interface LayerRow {
  name: string;
  className: string;
  /** Whether the layer (or, for Bidirectional, both of its directions) runs on the op. */
  onOp: boolean;
  outputShape: string;
}

export interface ModelReport {
  /** The loader's own account of the file (format and per-layer verdicts), where it offers one. */
  inspection: string | null;
  layers: LayerRow[];
  inputShapes: number[][];
  outputs: Array<{shape: number[]; values: number[]}>;
}

/** Steps given to an input whose time dimension the model leaves open. */
const OPEN_TIME_STEPS = 8;

/** The basename of a manifest path: a dropped file has no folder. */
function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/**
 * The files as tf.io.browserFiles wants them: model.json first, then the shards its manifest names,
 * in its order. A converter's folder may hold other files (another .json, say): model.json is the
 * one so named, else the only .json with a weights manifest; files the manifest does not name are
 * left out. A shard the manifest names that was not dropped is an error naming it.
 */
export async function orderModelFiles(files: readonly File[]): Promise<File[]> {
  const jsons = files.filter((f) => f.name.endsWith('.json'));
  let model = jsons.find((f) => f.name === 'model.json');
  const manifests = new Map<File, {weightsManifest?: Array<{paths: string[]}>}>();
  for (const file of model != null ? [model] : jsons) {
    try {
      manifests.set(file, JSON.parse(await file.text()) as {weightsManifest?: Array<{paths: string[]}>});
    } catch (e) {
      if (file === model) throw new Error(`model.json is not JSON: ${(e as Error).message}`, {cause: e});
    }
  }
  if (model == null) {
    const withManifest = jsons.filter((f) => manifests.get(f)?.weightsManifest != null);
    if (withManifest.length !== 1) {
      throw new Error(
        `drop the converter's folder, or model.json and its shards: found ${withManifest.length} model files ` +
          `among ${files.map((f) => f.name).join(', ')}`,
      );
    }
    model = withManifest[0];
  }
  const paths = (manifests.get(model)?.weightsManifest ?? []).flatMap((group) => group.paths);
  const byName = new Map(files.map((f) => [f.name, f]));
  const missing = paths.filter((p) => !byName.has(baseName(p)));
  if (missing.length > 0) {
    throw new Error(
      `${missing.length === 1 ? 'shard' : 'shards'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} ` +
        `missing: drop ${missing.length === 1 ? 'it' : 'them'} together with ${model.name}`,
    );
  }
  return [model, ...paths.map((p) => byName.get(baseName(p)) as File)];
}

function runsOnOp(layer: unknown): boolean {
  if (layer instanceof SingleGateSimpleRNN) return true;
  // Bidirectional keeps its two copies of the wrapped layer in fields tfjs-layers types as private;
  // they are plain properties at run time.
  const wrapped = layer as {forwardLayer?: unknown; backwardLayer?: unknown};
  return (
    wrapped.forwardLayer instanceof SingleGateSimpleRNN &&
    wrapped.backwardLayer instanceof SingleGateSimpleRNN
  );
}

function shapeText(shape: unknown): string {
  return JSON.stringify(shape).replace(/null/g, 'None');
}

interface Inspection {
  inspectKerasModel(source: KerasModelSource): Promise<unknown>;
  formatKerasModelReport(report: unknown): string;
}

/** The loader's report on the files, or null where this build's loader has none. */
async function inspect(files: File[]): Promise<string | null> {
  const loader = entry as unknown as Partial<Inspection>;
  if (loader.inspectKerasModel == null || loader.formatKerasModelReport == null) return null;
  return loader.formatKerasModelReport(await loader.inspectKerasModel(tf.io.browserFiles(files)));
}

/** Loads the dropped files through the package's loader (tf.io.browserFiles) and reports on the model. */
export async function reportOnFiles(
  files: readonly File[],
): Promise<{model: LayersModel; report: ModelReport}> {
  const ordered = await orderModelFiles(files);
  const inspection = await inspect(ordered);
  const model = await loadKerasModel(tf.io.browserFiles(ordered));
  try {
    const layers = model.layers.map((layer) => ({
      name: layer.name,
      className: layer.getClassName(),
      onOp: runsOnOp(layer),
      outputShape: shapeText(layer.outputShape),
    }));
    const inputShapes = model.inputs.map((input) =>
      input.shape.map((d, axis) => d ?? (axis === 0 ? 1 : OPEN_TIME_STEPS)),
    );
    const x = inputShapes.map((shape) => tf.randomUniform(shape, -1, 1));
    const y = model.predict(x.length === 1 ? x[0] : x);
    const ys = Array.isArray(y) ? y : [y];
    const outputs = await Promise.all(
      ys.map(async (t) => ({shape: t.shape, values: Array.from(await t.data())})),
    );
    tf.dispose([...x, ...ys]);
    return {model, report: {inspection, layers, inputShapes, outputs}};
  } catch (e) {
    model.dispose();
    throw e;
  }
}
