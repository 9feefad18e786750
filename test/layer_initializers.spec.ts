/** The layer's kernelInitializer, recurrentInitializer and biasInitializer, as tf.layers.simpleRNN has them. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {expect} from 'chai';

import {SingleGateRNNLayer, singleGateRNNLayer} from 'tfjs-single-gate-rnn';

import {describeAllBackends} from './util/backends.js';

const [T, I, H] = [3, 2, 4];

/** The layer's variables by name, as flat arrays. */
async function variables(layer: SingleGateRNNLayer): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const weight of layer.weights) {
    out[weight.originalName.split('/').pop()!] = Array.from(await weight.read().data());
  }
  return out;
}

/** A model saved to memory and loaded back with tf.loadLayersModel. */
async function roundTrip(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      saved = artifacts;
      return Promise.resolve({modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}});
    }),
  );
  return tfl.loadLayersModel(tf.io.fromMemory(saved!));
}

describeAllBackends('SingleGateRNN layer initializers', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  it("default to Keras' SimpleRNN initializers: glorotUniform, orthogonal, zeros", () => {
    // Porting note: tf.layers.simpleRNN defaults its kernel to glorotNormal; Keras and this layer use
    // glorotUniform (a VarianceScaling initializer, which is how tfjs serializes it).
    const config = singleGateRNNLayer({outputFeatureChannels: H}).getConfig();
    expect(config['kernelInitializer']).to.deep.equal({
      className: 'VarianceScaling',
      config: {scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: null},
    });
    expect(config['recurrentInitializer']).to.deep.equal({
      className: 'Orthogonal',
      config: {gain: 1, seed: null},
    });
    expect(config['biasInitializer']).to.deep.equal({className: 'Zeros', config: {}});
    // The same classes tf.layers.simpleRNN uses for the recurrent weights and the bias.
    const stock = tfl.layers.simpleRNN({units: H}).getConfig();
    for (const key of ['recurrentInitializer', 'biasInitializer']) {
      const className = (config[key] as {className: string}).className;
      expect(className, key).to.equal((stock[key] as {className: string}).className);
    }
  });

  it('are used: by name, as an Initializer and as {className, config}', async () => {
    const layer = singleGateRNNLayer({
      outputFeatureChannels: H,
      kernelInitializer: 'ones',
      recurrentInitializer: tfl.initializers.constant({value: 0.5}),
      biasInitializer: {className: 'Constant', config: {value: -2}},
    });
    layer.build([null, T, I]);
    expect(await variables(layer)).to.deep.equal({
      inputWeights: new Array<number>(H * I).fill(1),
      recurrentWeights: new Array<number>(H * H).fill(0.5),
      biasTerms: new Array<number>(H).fill(-2),
    });
  });

  it('identity and orthogonal make U as tfjs makes it', async () => {
    const identity = singleGateRNNLayer({outputFeatureChannels: H, recurrentInitializer: 'identity'});
    identity.build([null, T, I]);
    expect((await variables(identity)).recurrentWeights).to.deep.equal(Array.from(await tf.eye(H).data()));
    const orthogonal = singleGateRNNLayer({
      outputFeatureChannels: H,
      recurrentInitializer: tfl.initializers.orthogonal({gain: 2}),
    });
    orthogonal.build([null, T, I]);
    // U Uᵀ = gain² I for an orthogonal U scaled by the gain.
    const u = orthogonal.weights.find((w) => w.originalName.endsWith('recurrentWeights'))!.read();
    const product = await tf.matMul(u, u, false, true).data();
    const expected = await tf.mul(tf.eye(H), 4).data();
    product.forEach((value, i) => expect(value).to.be.closeTo(expected[i], 1e-4));
  });

  it('round-trip through model.save and tf.loadLayersModel', async () => {
    const model = tfl.sequential({
      layers: [
        singleGateRNNLayer({
          outputFeatureChannels: H,
          inputShape: [T, I],
          kernelInitializer: 'heNormal',
          recurrentInitializer: tfl.initializers.orthogonal({gain: 1.5, seed: 7}),
          biasInitializer: tfl.initializers.constant({value: 0.25}),
        }),
      ],
    });
    const loaded = await roundTrip(model);
    const [before, after] = [model.layers[0].getConfig(), loaded.layers[0].getConfig()];
    expect(after).to.deep.equal(before);
    expect(before['recurrentInitializer']).to.deep.equal({
      className: 'Orthogonal',
      config: {gain: 1.5, seed: 7},
    });
    expect(before['biasInitializer']).to.deep.equal({className: 'Constant', config: {value: 0.25}});
  });

  it('refuse an unknown initializer, naming the field', () => {
    expect(() =>
      singleGateRNNLayer({outputFeatureChannels: H, name: 'rnn', kernelInitializer: 'glorot'}),
    ).to.throw(
      'SingleGateRNN layer \'rnn\': kernelInitializer: unknown initializer "glorot"; give an initializer, ' +
        "a name such as 'glorotUniform', 'orthogonal', 'zeros' or 'ones', or {className, config}",
    );
  });
});
