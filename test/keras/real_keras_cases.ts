/**
 * The ten published SimpleRNN models of `../shared/fixtures/real-keras` (trained by others, converted
 * by tensorflowjs' own converter, with Keras' outputs and each recurrent layer's own output), written
 * once and run by the browser spec (served by karma from ../shared) and by the Node runner (read from
 * disk). The fixtures are never copied into the repository: where ../shared is absent the runner says
 * so and skips, except in CI, where that is a failure.
 */
import {dispose, io, tensor, Tensor} from '@tensorflow/tfjs-core';
import {LayersModel, loadLayersModel, model as functionalModel} from '@tensorflow/tfjs-layers';

import {KerasModelSource, loadKerasModel} from 'tfjs-single-gate-rnn';

import {compareArrays, expectArraysClose, NestedNumbers, type Tolerance} from '../util/close.js';

/** Where the real models come from. */
export interface RealModelEnv {
  /** The model as a loadKerasModel source. */
  source(name: string): Promise<KerasModelSource>;
  /** The same model as a tfjs IOHandler, for stock tf.loadLayersModel. */
  handler(name: string): Promise<io.IOHandler>;
  /** The parsed expected.json. */
  expected(name: string): Promise<RealExpected>;
}

export interface RealExpected {
  inputs: NestedNumbers[];
  outputs: NestedNumbers[];
  /** Each SimpleRNN or Bidirectional layer's own output, by layer name. */
  intermediates: {layer: string; output: NestedNumbers}[];
}

/** The README's folders, in its order. */
export const REAL_MODELS = [
  'k2_6_ginger_covid',
  'k2_1_dl4j_simple_rnn_weights',
  'k2_1_dl4j_simple_rnn_example',
  'k2_1_dl4j_simple_flatten_rnn',
  'k3_12_saisrikar_forecaster',
  'k3_10_ben_hk_temp_stacked',
  'k3_9_goksu_delhi_relu_keras',
  'k3_9_goksu_delhi_relu_h5',
  'k3_8_sisa_next_number_relu',
  'k3_8_vansh_bidir_386',
] as const;

/** The README's tolerance: 1e-4 absolute is what float32 allows over these models. */
export const REAL_MODEL_TOLERANCE: Tolerance = {atol: 1e-4, rtol: 0};

/** The path of the real models relative to the repository root. */
export const REAL_MODELS_PATH = '../shared/fixtures/real-keras/models';

function shapeOf(value: NestedNumbers): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = (v as readonly NestedNumbers[])[0];
  }
  return shape;
}

/** Runs `model` on `inputs` and returns every output as nested arrays. */
async function predictAll(model: LayersModel, inputs: Tensor[]): Promise<NestedNumbers[]> {
  const y = model.predict(inputs.length === 1 ? inputs[0] : inputs);
  const ys = Array.isArray(y) ? y : [y];
  try {
    return await Promise.all(ys.map((t) => t.array() as Promise<NestedNumbers>));
  } finally {
    dispose(ys);
  }
}

/** The output of layer `name` of `model` for `inputs` (a model cut at that layer). */
async function layerOutput(model: LayersModel, name: string, inputs: Tensor[]): Promise<NestedNumbers> {
  const cut = functionalModel({
    inputs: model.inputs,
    outputs: model.getLayer(name).output,
  });
  const [out] = await predictAll(cut, inputs);
  return out;
}

/** Compares and returns the largest absolute error, throwing past `tolerance`. */
function checkClose(got: NestedNumbers, expected: NestedNumbers, tolerance: Tolerance, what: string): number {
  const shape = shapeOf(expected);
  const gotShape = shapeOf(got);
  if (gotShape.join(',') !== shape.join(',')) {
    throw new Error(`${what}: shape [${gotShape.join(', ')}], expected [${shape.join(', ')}]`);
  }
  const flat = (v: NestedNumbers): number[] =>
    Array.isArray(v) ? (v as number[]).flat(Infinity) : [v as number];
  const g = flat(got);
  const e = flat(expected);
  expectArraysClose(g, e, tolerance, {what, shape});
  return compareArrays(g, e, tolerance).largestError;
}

/**
 * Checks a loaded model against expected.json: its outputs and each recurrent layer's output.
 * Returns the largest absolute error over all of them.
 */
export async function checkRealModel(
  model: LayersModel,
  expected: RealExpected,
  tolerance: Tolerance,
  label: string,
): Promise<number> {
  const inputs = expected.inputs.map((x) => tensor(x as number[], shapeOf(x), 'float32'));
  try {
    let worst = 0;
    const outputs = await predictAll(model, inputs);
    if (outputs.length !== expected.outputs.length) {
      throw new Error(`${label}: ${outputs.length} outputs, expected ${expected.outputs.length}`);
    }
    expected.outputs.forEach((out, i) => {
      worst = Math.max(worst, checkClose(outputs[i], out, tolerance, `${label} output ${i}`));
    });
    for (const {layer, output} of expected.intermediates) {
      const got = await layerOutput(model, layer, inputs);
      worst = Math.max(worst, checkClose(got, output, tolerance, `${label} layer '${layer}'`));
    }
    return worst;
  } finally {
    dispose(inputs);
  }
}

/** One real model: loaded by `loadKerasModel` with default options, checked, disposed. */
export async function runRealModel(env: RealModelEnv, name: string): Promise<number> {
  const model = await loadKerasModel(await env.source(name));
  try {
    return await checkRealModel(model, await env.expected(name), REAL_MODEL_TOLERANCE, name);
  } finally {
    model.dispose();
  }
}

/** What stock tf.loadLayersModel does with a real model: its largest error, or its refusal. */
export async function runStock(env: RealModelEnv, name: string): Promise<number | Error> {
  let model: LayersModel;
  try {
    model = await loadLayersModel(await env.handler(name));
  } catch (e) {
    return e as Error;
  }
  try {
    return await checkRealModel(model, await env.expected(name), REAL_MODEL_TOLERANCE, `${name} (stock)`);
  } catch (e) {
    return e as Error;
  } finally {
    model.dispose();
  }
}
