/**
 * The `SingleGateConvRNN2D` layer: weights in OHWI with the configured kernel sizes, results equal to
 * the float64 loop over pixels with the layer's own weights, [x, initialState] inputs, config checks,
 * a training step through the portable path, and the round trip through model.save and
 * tf.loadLayersModel.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {expect} from 'chai';
import {SingleGateConvRNN2D, singleGateConvRNN2DLayer} from 'tfjs-single-gate-rnn';

import {messageOf} from './message_of.js';
import {ConvDims, referenceConvLayer} from './reference/conv_reference.js';
import {describeAllBackends, everyBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {TANH} from './util/conv_problem.js';
import {expectNoLeaks} from './util/memory.js';
import {Random} from './util/random.js';

const DIMS: ConvDims = {batch: 2, time: 3, height: 5, width: 4};
const [I, O] = [3, 4];
const X_SHAPE = [DIMS.batch, DIMS.time, DIMS.height, DIMS.width, I];

/** The layer's variables by name. */
async function weightsOf(
  layer: SingleGateConvRNN2D,
): Promise<Map<string, {data: Float32Array; shape: number[]}>> {
  const byName = new Map<string, {data: Float32Array; shape: number[]}>();
  for (const weight of layer.weights) {
    const value = weight.read();
    byName.set(weight.originalName.split('/').pop()!, {
      data: (await value.data()) as Float32Array,
      shape: value.shape,
    });
  }
  return byName;
}

describeAllBackends(
  'SingleGateConvRNN2D layer',
  (backend) => {
    const {tolerance} = backend;
    it('holds OHWI weights of the configured kernel sizes and matches the reference with them', async () => {
      const layer = singleGateConvRNN2DLayer({
        outputFeatureChannels: O,
        inputKernelSize: [3, 1],
        recurrentKernelSize: 2,
        inputWeights: {neuron: {type: 'tanh'}},
        biasInitializer: 'glorotUniform',
        returnSequences: true,
        returnState: true,
        useFloat32Weights: true,
      });
      const x = new Random(71).floats(X_SHAPE.reduce((a, b) => a * b));
      const initial = new Random(72).floats(DIMS.batch * DIMS.height * DIMS.width * O);
      const inputs = () => [
        tf.tensor(x, X_SHAPE),
        tf.tensor(initial, [DIMS.batch, DIMS.height, DIMS.width, O]),
      ];
      // The first call builds the layer (its variables stay); the leak check is on a second call.
      tf.dispose(tf.tidy(() => layer.apply(inputs()) as tf.Tensor[]));
      const [output, state] = await expectNoLeaks(async () => {
        const [out, final] = tf.tidy(() => layer.apply(inputs()) as tf.Tensor[]);
        expect(out.shape).to.deep.equal([...X_SHAPE.slice(0, 4), O]);
        expect(final.shape).to.deep.equal([DIMS.batch, DIMS.height, DIMS.width, O]);
        const values = [await out.data(), await final.data()];
        tf.dispose([out, final]);
        return values;
      });
      const weights = await weightsOf(layer);
      expect(weights.get('inputWeights')!.shape).to.deep.equal([O, 3, 1, I]);
      expect(weights.get('recurrentWeights')!.shape).to.deep.equal([O, 2, 2, O]);
      expect(weights.get('biasTerms')!.shape).to.deep.equal([O]);
      const expected = referenceConvLayer(
        {
          inputChannels: I,
          outputChannels: O,
          w: weights.get('inputWeights')!.data,
          wKernel: [3, 1],
          u: weights.get('recurrentWeights')!.data,
          uKernel: [2, 2],
          bias: weights.get('biasTerms')!.data,
          neuron: TANH,
          backward: false,
          float16Weights: false,
          unitTransform: false,
          padding: 'mps',
        },
        x,
        DIMS,
        initial,
      );
      expectArraysClose(output, expected.output, tolerance, {what: 'output'});
      expectArraysClose(state, expected.finalState, tolerance, {what: 'final state'});
    });

    it('a sequential model computes output shapes; null sources and unit transform drop variables', () => {
      const model = tfl.sequential({
        layers: [
          singleGateConvRNN2DLayer({
            outputFeatureChannels: 4,
            inputShape: [null, 6, 5, 4],
            returnSequences: true,
            useLayerInputUnitTransformMode: true,
          }),
          singleGateConvRNN2DLayer({outputFeatureChannels: 2, recurrentWeights: null, inputKernelSize: 1}),
        ],
      });
      expect(model.outputs[0].shape).to.deep.equal([null, 6, 5, 2]);
      expect(model.layers[0].weights.map((w) => w.originalName.split('/').pop())).to.deep.equal([
        'recurrentWeights',
        'biasTerms',
      ]);
      expect(model.layers[1].weights.map((w) => w.shape)).to.deep.equal([[2, 1, 1, 4], [2]]);
      model.dispose();
    });

    it('refuses bad configs and inputs, naming the layer, the field and what it got', () => {
      expect(
        messageOf(() =>
          singleGateConvRNN2DLayer({outputFeatureChannels: 2, name: 'c', padding: 'smae' as 'same'}),
        ),
      ).to.equal(
        "SingleGateConvRNN2D layer 'c': padding must be 'mps' (an even kernel's extra row and column at the top and " +
          "left, as MPS) or 'same' (at the bottom and right, as tfjs), got \"smae\" (did you mean 'same'?)",
      );
      expect(
        messageOf(() =>
          singleGateConvRNN2DLayer({outputFeatureChannels: 2, name: 'c', inputKernelSize: [3, 0]}),
        ),
      ).to.equal(
        "SingleGateConvRNN2D layer 'c': inputKernelSize must be an integer >= 1 or [kernelHeight, kernelWidth] of them, got [3,0]",
      );
      expect(
        messageOf(() =>
          singleGateConvRNN2DLayer({outputFeatureChannels: 2, name: 'c', kernelSize: 3} as unknown as {
            outputFeatureChannels: number;
          }),
        ),
      ).to.contain("SingleGateConvRNN2D layer 'c': config has an unknown key 'kernelSize'");
      // The image layer runs one direction: a combine mode would be silently ignored, so it is refused.
      const bidirectional = messageOf(() =>
        singleGateConvRNN2DLayer({outputFeatureChannels: 2, name: 'c', bidirectionalCombineMode: 'add'} as {
          outputFeatureChannels: number;
        }),
      );
      expect(bidirectional).to.contain(
        "SingleGateConvRNN2D layer 'c': config has an unknown key 'bidirectionalCombineMode'; its keys are ",
      );
      expect(bidirectional.split('its keys are ')[1]).to.not.contain("'bidirectionalCombineMode'");
      expect(
        messageOf(() =>
          singleGateConvRNN2DLayer({outputFeatureChannels: 2, name: 'c'}).apply(tfl.input({shape: [3, 4]})),
        ),
      ).to.equal(
        "SingleGateConvRNN2D layer 'c': input must be rank 5 [batch, time, height, width, inputFeatureChannels], got shape [null, 3, 4]",
      );
    });

    it('trains: a fit step changes the weights, with gradients from stock ops', async function () {
      if (tf.getKernel('Conv2DBackpropFilter', backend.name) == null) {
        // tfjs' own gap, not ours: this backend cannot differentiate conv2d (tfjs 4.22's wasm backend
        // has no Conv2DBackpropFilter kernel), so no conv layer trains on it.
        this.skip();
      }
      const model = tfl.sequential({
        layers: [
          singleGateConvRNN2DLayer({
            outputFeatureChannels: 2,
            inputShape: [3, 4, 4, 1],
            inputWeights: {neuron: {type: 'tanh'}},
          }),
        ],
      });
      model.compile({optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError'});
      const before = (await model.layers[0].getWeights()[0].data()).slice();
      const x = tf.tensor(new Random(73).floats(2 * 3 * 4 * 4), [2, 3, 4, 4, 1]);
      const y = tf.ones([2, 4, 4, 2]);
      const history = await model.fit(x, y, {epochs: 1, batchSize: 2, verbose: 0});
      expect(history.history['loss'][0]).to.be.a('number').and.satisfy(Number.isFinite);
      const after = await model.layers[0].getWeights()[0].data();
      expect(Array.from(after)).to.not.deep.equal(Array.from(before));
      tf.dispose([x, y]);
      model.dispose();
    });

    it('round-trips through model.save and tf.loadLayersModel exactly', async () => {
      const model = tfl.sequential();
      model.add(
        singleGateConvRNN2DLayer({
          outputFeatureChannels: 3,
          inputShape: [DIMS.time, DIMS.height, DIMS.width, I],
          inputKernelSize: [2, 3],
          recurrentKernelSize: [4, 2],
          padding: 'same',
          useFloat32Weights: true,
          layerSequenceDirection: 'backward',
          inputWeights: {neuron: {type: 'reluN', a: 0.1, b: 0.9}},
          returnSequences: true,
        }),
      );
      model.add(
        singleGateConvRNN2DLayer({
          outputFeatureChannels: 2,
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
      expect(loaded.layers.map((l) => l.getClassName())).to.deep.equal([
        'SingleGateConvRNN2D',
        'SingleGateConvRNN2D',
      ]);
      for (let k = 0; k < 2; k++)
        expect(loaded.layers[k].getConfig()).to.deep.equal(model.layers[k].getConfig());
      expect(loaded.layers[0].getConfig()['padding']).to.equal('same');
      const [a, b] = [model.getWeights(), loaded.getWeights()];
      expect(b.map((w) => w.shape)).to.deep.equal(a.map((w) => w.shape));
      for (let k = 0; k < a.length; k++)
        expect(Array.from(await b[k].data())).to.deep.equal(Array.from(await a[k].data()));
      const input = tf.tensor(new Random(74).floats(X_SHAPE.reduce((p, q) => p * q)), X_SHAPE);
      const [y0, y1] = [model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor];
      expect(Array.from(await y1.data())).to.deep.equal(Array.from(await y0.data()));
      tf.dispose([input, y0, y1]);
      model.dispose();
      loaded.dispose();
    });
  },
  everyBackend,
);
