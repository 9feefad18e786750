/** The `SingleGateRNN` layer: shapes, weights, initial state, config checks, serialization. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {expect} from 'chai';

import {
  singleGateRNN,
  SingleGateRNNLayer,
  singleGateRNNLayer,
  SingleGateRNNLayerArgs,
} from 'tfjs-single-gate-rnn';
import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {referenceSingleGateRNN} from './reference/single_gate_rnn_reference.js';
import {Random} from './util/random.js';

const [B, T, I, H] = [3, 6, 4, 5];

/** Reads a layer's weights and runs the float64 reference with them (the layer's neuron parameters must be explicit). */
async function referenceFor(
  layer: SingleGateRNNLayer,
  x: Float32Array,
  initialState: Float32Array | null,
  mask: Float32Array | null = null,
) {
  const byName = new Map<string, Float32Array>();
  for (const weight of layer.weights) {
    byName.set(weight.originalName.split('/').pop()!, (await weight.read().data()) as Float32Array);
  }
  const neuron = layer.inputWeights?.neuron;
  return referenceSingleGateRNN({
    batch: B,
    time: T,
    inputChannels: I,
    outputChannels: H,
    x,
    w: byName.get('inputWeights') ?? null,
    u: byName.get('recurrentWeights') ?? null,
    bias: byName.get('biasTerms') ?? null,
    initialState,
    neuron: {type: neuron?.type ?? 'none', a: neuron?.a ?? 0, b: neuron?.b ?? 0, c: neuron?.c ?? 0},
    unitTransform: layer.useLayerInputUnitTransformMode,
    float16Weights: !layer.useFloat32Weights,
    backward: layer.layerSequenceDirection === 'backward',
    mask,
  });
}

describeAllBackends('SingleGateRNN layer', ({tolerance}) => {
  const random = new Random(51);
  const x = random.floats(B * T * I);
  const h0 = random.floats(B * H);
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  const configs: Array<[string, Partial<SingleGateRNNLayerArgs>]> = [
    ['defaults (float16 weights, identity neuron)', {}],
    [
      'tanh, float32 weights, sequences',
      {inputWeights: {neuron: {type: 'tanh', a: 1, b: 1}}, useFloat32Weights: true, returnSequences: true},
    ],
    [
      'backward, hardSigmoid with parameters, no bias',
      {
        layerSequenceDirection: 'backward',
        inputWeights: {neuron: {type: 'hardSigmoid', a: 0.3, b: 0.4}, biasTerms: false},
        returnSequences: true,
      },
    ],
    [
      'null recurrent weights',
      {recurrentWeights: null, inputWeights: {neuron: {type: 'relu', a: 0.1}}, returnSequences: true},
    ],
  ];
  for (const [name, args] of configs) {
    it(`${name}: predict matches the reference`, async function () {
      const layer = singleGateRNNLayer({outputFeatureChannels: H, inputShape: [T, I], ...args});
      const model = tfl.sequential({layers: [layer]});
      const y = model.predict(tf.tensor3d(x, [B, T, I])) as tf.Tensor;
      const expected = await referenceFor(layer, x, null);
      if (layer.returnSequences) {
        expect(y.shape).to.deep.equal([B, T, H]);
        expectArraysClose(await y.data(), expected.output, tolerance, {what: 'sequence'});
      } else {
        expect(y.shape).to.deep.equal([B, H]);
        expectArraysClose(await y.data(), expected.finalState, tolerance, {what: 'final state'});
      }
    });
  }

  it('returnState gives the final state as a second output, and [x, initialState] sets h_{-1}', async function () {
    const input = tfl.input({shape: [T, I]});
    const state = tfl.input({shape: [H]});
    const layer = singleGateRNNLayer({
      outputFeatureChannels: H,
      returnSequences: true,
      returnState: true,
      inputWeights: {neuron: {type: 'tanh', a: 1, b: 1}},
    });
    const [sequence, final] = layer.apply([input, state]) as tfl.SymbolicTensor[];
    expect(sequence.shape).to.deep.equal([null, T, H]);
    expect(final.shape).to.deep.equal([null, H]);
    const model = tfl.model({inputs: [input, state], outputs: [sequence, final]});
    const [y, hT] = model.predict([tf.tensor3d(x, [B, T, I]), tf.tensor2d(h0, [B, H])]) as tf.Tensor[];
    const expected = await referenceFor(layer, x, h0);
    expectArraysClose(await y.data(), expected.output, tolerance, {what: 'sequence'});
    expectArraysClose(await hT.data(), expected.finalState, tolerance, {what: 'final state'});
  });

  it('takes the mask of a Masking layer: masked steps carry the state over', async function () {
    // Steps whose inputs are all zero are masked; one row is masked from its third step on.
    const masked = Float32Array.from(x);
    const maskValues = new Float32Array(B * T).fill(1);
    for (const [n, t] of [
      [0, 0],
      [0, 3],
      [1, 2],
      [1, 3],
      [1, 4],
      [1, 5],
      [2, 5],
    ]) {
      masked.fill(0, (n * T + t) * I, (n * T + t + 1) * I);
      maskValues[n * T + t] = 0;
    }
    const layer = singleGateRNNLayer({
      outputFeatureChannels: H,
      returnSequences: true,
      inputWeights: {neuron: {type: 'tanh', a: 1, b: 1}},
    });
    const model = tfl.sequential({layers: [tfl.layers.masking({maskValue: 0, inputShape: [T, I]}), layer]});
    const y = model.predict(tf.tensor3d(masked, [B, T, I])) as tf.Tensor;
    const expected = await referenceFor(layer, masked, null, maskValues);
    expectArraysClose(await y.data(), expected.output, tolerance, {what: 'sequence'});
    expect(layer.computeMask(tf.zeros([B, T, I]), tf.ones([B, T], 'bool'))).to.not.equal(null);
  });

  it('has the variables the config asks for, laid out [out, in]', function () {
    const variables = (args: Partial<SingleGateRNNLayerArgs>, inputs = I) => {
      const layer = singleGateRNNLayer({outputFeatureChannels: H, ...args});
      layer.build([null, T, inputs]);
      return layer.weights.map((w) => [w.originalName.split('/').pop(), w.shape]);
    };
    expect(variables({})).to.deep.equal([
      ['inputWeights', [H, I]],
      ['recurrentWeights', [H, H]],
      ['biasTerms', [H]],
    ]);
    expect(variables({useLayerInputUnitTransformMode: true}, H)).to.deep.equal([
      ['recurrentWeights', [H, H]],
      ['biasTerms', [H]],
    ]);
    expect(variables({inputWeights: null})).to.deep.equal([['recurrentWeights', [H, H]]]);
    expect(variables({inputWeights: {biasTerms: false}, recurrentWeights: null})).to.deep.equal([
      ['inputWeights', [H, I]],
    ]);
  });

  it('unit-transform mode adds x itself', async function () {
    const layer = singleGateRNNLayer({
      outputFeatureChannels: I,
      inputShape: [T, I],
      useLayerInputUnitTransformMode: true,
      returnSequences: true,
      inputWeights: {neuron: {type: 'softsign'}},
    });
    const y = tfl.sequential({layers: [layer]}).predict(tf.tensor3d(x, [B, T, I])) as tf.Tensor;
    const expected = referenceSingleGateRNN({
      ...{
        batch: B,
        time: T,
        inputChannels: I,
        outputChannels: I,
        x,
        w: null,
        initialState: null,
        backward: false,
      },
      u: await layer.weights[0].read().data(),
      bias: await layer.weights[1].read().data(),
      neuron: {type: 'softsign', a: 0, b: 0, c: 0},
      unitTransform: true,
      float16Weights: true,
    });
    expectArraysClose(await y.data(), expected.output, tolerance, {what: 'sequence'});
  });

  it('refuses bad configs and inputs, naming the layer and the field', function () {
    const error = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(error(() => singleGateRNNLayer({outputFeatureChannels: 0, name: 'rnn'}))).to.equal(
      "SingleGateRNN layer 'rnn': outputFeatureChannels must be an integer >= 1, got 0",
    );
    expect(
      error(() =>
        singleGateRNNLayer({outputFeatureChannels: 4, name: 'rnn', layerSequenceDirection: 'up' as never}),
      ),
    ).to.equal(
      "SingleGateRNN layer 'rnn': layerSequenceDirection must be 'forward' or 'backward', got \"up\"",
    );
    expect(
      error(() =>
        singleGateRNNLayer({
          outputFeatureChannels: 4,
          name: 'rnn',
          inputWeights: {neuron: {type: 'prelu' as never}},
        }),
      ),
    ).to.contain('PReLU');
    const wrongInput = singleGateRNNLayer({outputFeatureChannels: 4, name: 'rnn', inputFeatureChannels: 3});
    expect(error(() => wrongInput.apply(tfl.input({shape: [T, 5]})))).to.equal(
      "SingleGateRNN layer 'rnn': input must be [batch, time, inputFeatureChannels] with inputFeatureChannels = 3, got [null, 6, 5]",
    );
    const unit = singleGateRNNLayer({
      outputFeatureChannels: 4,
      name: 'rnn',
      useLayerInputUnitTransformMode: true,
    });
    expect(error(() => unit.apply(tfl.input({shape: [T, 5]})))).to.contain(
      'inputFeatureChannels must equal outputFeatureChannels; got 5 and 4',
    );
    expect(
      error(() => singleGateRNNLayer({outputFeatureChannels: 4, name: 'rnn'}).apply(tfl.input({shape: [5]}))),
    ).to.equal(
      "SingleGateRNN layer 'rnn': input must be rank 3 [batch, time, inputFeatureChannels], got shape [null, 5]",
    );
  });

  it('round-trips through model.save and tf.loadLayersModel exactly', async function () {
    const model = tfl.sequential();
    model.add(
      singleGateRNNLayer({
        outputFeatureChannels: H,
        inputShape: [T, I],
        useFloat32Weights: true,
        layerSequenceDirection: 'backward',
        inputWeights: {neuron: {type: 'reluN', a: 0.1, b: 0.9}},
        returnSequences: true,
      }),
    );
    model.add(
      singleGateRNNLayer({
        outputFeatureChannels: 2,
        useLayerInputUnitTransformMode: false,
        inputWeights: {neuron: {type: 'hardSigmoid'}, biasTerms: false},
      }),
    );
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler((artifacts) => {
        saved = artifacts;
        return Promise.resolve({modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}});
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.layers.map((l) => l.getClassName())).to.deep.equal(['SingleGateRNN', 'SingleGateRNN']);
    for (let k = 0; k < 2; k++) {
      expect(loaded.layers[k].getConfig()).to.deep.equal(model.layers[k].getConfig());
    }
    const [a, b] = [model.getWeights(), loaded.getWeights()];
    expect(b.length).to.equal(a.length);
    for (let k = 0; k < a.length; k++)
      expect(Array.from(await b[k].data())).to.deep.equal(Array.from(await a[k].data()));
    const input = tf.tensor3d(x, [B, T, I]);
    const y0 = await (model.predict(input) as tf.Tensor).data();
    const y1 = await (loaded.predict(input) as tf.Tensor).data();
    expect(Array.from(y1)).to.deep.equal(Array.from(y0));
  });
});

describeAllBackends('inference only', () => {
  it('tf.grad through the op names SingleGateRNN and says it is an inference op', () => {
    // The op itself, on every backend (the portable path included); the layer trains instead, see
    // training.spec.ts.
    const f = (x: tf.Tensor) =>
      tf.sum(
        singleGateRNN(x as tf.Tensor3D, {
          inputFeatureChannels: 2,
          outputFeatureChannels: 2,
          inputWeights: {weights: tf.eye(2), neuron: {type: 'tanh'}},
        }).output,
      );
    let message = '';
    tf.tidy(() => {
      try {
        tf.grad(f)(tf.ones([1, 3, 2]));
      } catch (e) {
        message = (e as Error).message;
      }
    });
    expect(message).to.contain('SingleGateRNN is an inference op and has no gradient');
    // It points at the layer's own training path, not at another layer.
    expect(message).to.contain('train the SingleGateRNN layer instead');
  });
});
