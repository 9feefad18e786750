/**
 * What the drop zone shows for a converted Keras model: its layers, which of them run on the
 * `singleGateRNN` op, and its output for a random input of the right shape.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {loadKerasModel, SingleGateSimpleRNN} from '../../src/index.js';

export interface LayerRow {
  name: string;
  className: string;
  /** Whether the layer (or, for Bidirectional, both of its directions) runs on the op. */
  onOp: boolean;
  outputShape: string;
}

export interface ModelReport {
  layers: LayerRow[];
  inputShapes: number[][];
  outputs: Array<{shape: number[]; values: number[]}>;
}

/** Steps given to an input whose time dimension the model leaves open. */
const OPEN_TIME_STEPS = 8;

/** The files as tf.io.browserFiles wants them: model.json first, then its shards. */
export function orderModelFiles(files: readonly File[]): File[] {
  const json = files.filter((f) => f.name.endsWith('.json'));
  if (json.length !== 1) {
    throw new Error(
      `drop one model.json and its weight shards; got ${json.length} .json files among ${files.length} (${files.map((f) => f.name).join(', ')})`,
    );
  }
  return [json[0], ...files.filter((f) => f !== json[0])];
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

/** Loads the dropped files through the package's loader (tf.io.browserFiles) and reports on the model. */
export async function reportOnFiles(
  files: readonly File[],
): Promise<{model: LayersModel; report: ModelReport}> {
  const model = await loadKerasModel(tf.io.browserFiles(orderModelFiles(files)));
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
    return {model, report: {layers, inputShapes, outputs}};
  } catch (e) {
    model.dispose();
    throw e;
  }
}
