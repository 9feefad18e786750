/**
 * "Never worse than stock tfjs": every fixture of the project that stock `tf.loadLayersModel` loads,
 * `loadKerasModel` loads too, with the same outputs on the same inputs. Run on every backend by the
 * browser spec and the Node runner; a fixture stock tfjs refuses is recorded as such, not compared.
 */
import {dispose, getBackend, io, setBackend, Tensor, tensor} from '@tensorflow/tfjs-core';
import {LayersModel, loadLayersModel} from '@tensorflow/tfjs-layers';

import {KerasModelSource, loadKerasModel} from 'tfjs-single-gate-rnn';

import {expectArraysClose, type Tolerance} from '../util/close.js';
import {Random} from '../util/random.js';

/**
 * Project fixtures without outputs of their own, which only this comparison checks: the stock loader
 * must load them (a fixture here that stock tfjs refuses checks nothing, so that fails too).
 */
export const STOCK_COMPARED_FIXTURES = ['k2-time-distributed'];

/** A fixture as both loaders take it. */
export interface LoadableFixture {
  label: string;
  source(): Promise<KerasModelSource>;
  handler(): Promise<io.IOHandler>;
}

/**
 * Stock tfjs and our op are two float32 implementations that sum in different orders; over the
 * fixtures' lengths (up to 386 steps) they agree within the real models' README tolerance.
 */
export const NEVER_WORSE_TOLERANCE: Tolerance = {atol: 1e-4, rtol: 1e-4};

/** Batch and time steps for the dimensions a model leaves open. */
const OPEN_BATCH = 2;
const OPEN_STEPS = 5;

/** Seeded inputs in [-1, 1) for each of the model's inputs, open dimensions filled in. */
function inputsFor(model: LayersModel, seed: number): Tensor[] {
  const random = new Random(seed);
  return model.inputs.map((input) => {
    const shape = input.shape.map((d, axis) => d ?? (axis === 0 ? OPEN_BATCH : OPEN_STEPS));
    const count = shape.reduce((n, d) => n * d, 1);
    return tensor(random.floats(count), shape, 'float32');
  });
}

async function outputsOf(model: LayersModel, inputs: Tensor[]): Promise<Float32Array[]> {
  const y = model.predict(inputs.length === 1 ? inputs[0] : inputs);
  const ys = Array.isArray(y) ? y : [y];
  try {
    return await Promise.all(ys.map(async (t) => (await t.data()) as Float32Array));
  } finally {
    dispose(ys);
  }
}

/** The outputs of `load()`'s model on its seeded inputs, or null where it does not load. */
async function seededOutputs(load: () => Promise<LayersModel>): Promise<Float32Array[] | null> {
  let model: LayersModel;
  try {
    model = await load();
  } catch {
    return null;
  }
  const inputs = inputsFor(model, 19);
  try {
    return await outputsOf(model, inputs);
  } finally {
    dispose(inputs);
    model.dispose();
  }
}

/**
 * Loads `fixture` with stock tfjs; where that works, with loadKerasModel too, and compares the two on
 * the same seeded inputs. Returns whether stock tfjs loaded it.
 *
 * Stock tfjs runs on its cpu backend, the reference the project takes for every other backend:
 * tfjs-backend-webgpu 4.22 fails on Masking models by itself (its transpose of the boolean mask does
 * not compile: "type mismatch ... expected 'f32', got 'i32'") and would return garbage to compare with.
 */
export async function compareWithStock(fixture: LoadableFixture, tolerance: Tolerance): Promise<boolean> {
  const backend = getBackend();
  let expected: Float32Array[] | null;
  await setBackend('cpu');
  try {
    expected = await seededOutputs(async () => loadLayersModel(await fixture.handler()));
  } finally {
    await setBackend(backend);
  }
  if (expected == null) return false;
  const got = await seededOutputs(async () => loadKerasModel(await fixture.source()));
  if (got == null) {
    // Loaded again to throw its error: stock tfjs loads this model and we must too.
    await loadKerasModel(await fixture.source()).then((m) => m.dispose());
    throw new Error(`${fixture.label}: loadKerasModel failed where stock tfjs loads it`);
  }
  if (got.length !== expected.length) {
    throw new Error(`${fixture.label}: ${got.length} outputs, stock tfjs gives ${expected.length}`);
  }
  got.forEach((values, i) =>
    expectArraysClose(values, expected[i], tolerance, {what: `${fixture.label} output ${i} vs stock tfjs`}),
  );
  return true;
}
