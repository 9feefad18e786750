/**
 * Loading skips the initializers of weights it is about to overwrite: a 1024-unit recurrent layer
 * loads in well under a second, where running its Orthogonal initializer (a QR decomposition of a
 * 1024 x 1024 matrix) would take minutes. Checked for a Keras SimpleRNN and for a SingleGateRNN layer
 * saved by tfjs (through loadKerasModel and tf.loadLayersModel); the registration path through
 * tf.loadLayersModel relies on tfjs' own skipping, which SingleGateSimpleRNN inherits.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {expect} from 'chai';

import {loadKerasModel, singleGateRNNLayer} from 'tfjs-single-gate-rnn';

import {describeAllBackends} from '../util/backends.js';
import {Random} from '../util/random.js';

const UNITS = 1024;
const [TIME, INPUTS] = [3, 8];
/** Generous for a load that takes tens of milliseconds, and far below what one Orthogonal 1024 x 1024 takes. */
const LOAD_BOUND_MS = 3000;
const ORTHOGONAL = {class_name: 'Orthogonal', config: {gain: 1, seed: null}};

interface Loaded {
  model: tfl.LayersModel;
  ms: number;
}

async function timed(load: () => Promise<tfl.LayersModel>): Promise<Loaded> {
  const start = performance.now();
  const model = await load();
  return {model, ms: performance.now() - start};
}

/** The model's weights, in order, equal the manifest's data exactly. */
async function expectWeights(
  model: tfl.LayersModel,
  specs: tf.io.WeightsManifestEntry[],
  data: Float32Array,
) {
  const weights = model.getWeights();
  expect(weights.map((w) => w.shape)).to.deep.equal(specs.map((s) => s.shape));
  let offset = 0;
  for (const [k, weight] of weights.entries()) {
    const got = await weight.data();
    let mismatches = 0;
    for (let i = 0; i < got.length; i++) if (got[i] !== data[offset + i]) mismatches++;
    expect(mismatches, `${specs[k].name}: values that differ from the file`).to.equal(0);
    offset += got.length;
  }
  expect(offset).to.equal(data.length);
}

/** A Keras 3 model.json: one SimpleRNN with Keras' default initializers. */
function kerasSimpleRNN(): {modelJson: unknown; specs: tf.io.WeightsManifestEntry[]} {
  const initializer = (className: string, config: object) => ({
    module: 'keras.initializers',
    class_name: className,
    config,
    registered_name: null,
  });
  const specs: tf.io.WeightsManifestEntry[] = [
    {name: 'simple_rnn/simple_rnn_cell/kernel', shape: [INPUTS, UNITS], dtype: 'float32'},
    {name: 'simple_rnn/simple_rnn_cell/recurrent_kernel', shape: [UNITS, UNITS], dtype: 'float32'},
    {name: 'simple_rnn/simple_rnn_cell/bias', shape: [UNITS], dtype: 'float32'},
  ];
  const layers = [
    {class_name: 'InputLayer', config: {batch_shape: [null, TIME, INPUTS], dtype: 'float32', name: 'input'}},
    {
      class_name: 'SimpleRNN',
      config: {
        name: 'simple_rnn',
        units: UNITS,
        activation: 'tanh',
        use_bias: true,
        kernel_initializer: initializer('GlorotUniform', {seed: null}),
        recurrent_initializer: initializer('Orthogonal', {gain: 1, seed: null}),
        bias_initializer: initializer('Zeros', {}),
      },
    },
  ];
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'keras v3.10.0',
    modelTopology: {
      keras_version: '3.10.0',
      model_config: {class_name: 'Sequential', config: {name: 'sequential', layers}},
    },
    weightsManifest: [{paths: ['group1-shard1of1.bin'], weights: specs}],
  };
  return {modelJson, specs};
}

/**
 * A tfjs-saved model with a 1024-unit SingleGateRNN layer whose config names the default (Orthogonal)
 * recurrent initializer. It is built with Zeros, so that building it here is fast too.
 */
async function savedSingleGateRNN(data: Float32Array): Promise<tf.io.ModelArtifacts> {
  const layer = singleGateRNNLayer({
    outputFeatureChannels: UNITS,
    inputShape: [TIME, INPUTS],
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
  });
  const model = tfl.sequential({layers: [layer]});
  let offset = 0;
  model.setWeights(
    layer.weights.map(({shape}) => {
      const size = tf.util.sizeFromShape(shape as number[]);
      offset += size;
      return tf.tensor(data.subarray(offset - size, offset), shape as number[]);
    }),
  );
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      saved = artifacts;
      return Promise.resolve({modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}});
    }),
  );
  model.dispose();
  const topology = saved!.modelTopology as {config: {layers: {config: Record<string, unknown>}[]}};
  topology.config.layers[0].config['recurrent_initializer'] = ORTHOGONAL;
  return saved!;
}

describeAllBackends('loading a 1024-unit model skips initializers', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());
  const data = new Random(1024).floats(INPUTS * UNITS + UNITS * UNITS + UNITS);

  it('Keras 3 SimpleRNN through loadKerasModel', async () => {
    const {modelJson, specs} = kerasSimpleRNN();
    const {model, ms} = await timed(() =>
      loadKerasModel({modelJson, loadShard: () => Promise.resolve(data)}),
    );
    expect(ms, 'milliseconds to load').to.be.below(LOAD_BOUND_MS);
    await expectWeights(model, specs, data);
    model.dispose();
  });

  it('SingleGateRNN layer saved by tfjs, through loadKerasModel and tf.loadLayersModel', async () => {
    const saved = await savedSingleGateRNN(data);
    const specs = saved.weightSpecs!;
    const weightData = saved.weightData as ArrayBuffer;
    const modelJson = {
      modelTopology: saved.modelTopology,
      weightsManifest: [{paths: ['w.bin'], weights: specs}],
    };
    const loads: Array<[string, () => Promise<tfl.LayersModel>]> = [
      ['loadKerasModel', () => loadKerasModel({modelJson, loadShard: () => Promise.resolve(weightData)})],
      ['tf.loadLayersModel', () => tfl.loadLayersModel(tf.io.fromMemory(saved))],
    ];
    for (const [how, load] of loads) {
      const {model, ms} = await timed(load);
      expect(ms, `${how}: milliseconds to load`).to.be.below(LOAD_BOUND_MS);
      await expectWeights(model, specs, data);
      model.dispose();
    }
  });
});
