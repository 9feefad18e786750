/**
 * Misspelt keys are refused, naming the key and the valid key it most likely meant, instead of being
 * ignored (which left the field at its default and changed results without a word).
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {
  singleGateRNN,
  SingleGateRNNDescriptor,
  singleGateRNNLayer,
  SingleGateRNNOptions,
} from 'tfjs-single-gate-rnn';

import {describeAllBackends} from './util/backends.js';
import {messageOf} from './message_of.js';

const DESCRIPTOR_KEYS =
  "'inputFeatureChannels', 'outputFeatureChannels', 'useLayerInputUnitTransformMode', " +
  "'useFloat32Weights', 'layerSequenceDirection', 'inputWeights', 'recurrentWeights'";
const SOURCE_KEYS = "'weights', 'biasTerms', 'neuron'";

/** The start of the message for an unknown `key` of the object at `path`. */
function unknownKey(path: string, key: string, suggestion: string): string {
  return `${path} has an unknown key '${key}' (did you mean '${suggestion}'?); its keys are `;
}

describeAllBackends('unknown keys', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  const x = (): tf.Tensor3D => tf.ones([2, 3, 2]);
  const descriptor = (): SingleGateRNNDescriptor => ({
    inputFeatureChannels: 2,
    outputFeatureChannels: 2,
    inputWeights: {weights: tf.ones([2, 2]), biasTerms: tf.ones([2]), neuron: {type: 'tanh'}},
    recurrentWeights: {weights: tf.eye(2)},
  });
  /** The descriptor with `change` applied; typed loosely, as the typos are not valid keys. */
  const withKeys = (change: (d: Record<string, unknown>) => void): SingleGateRNNDescriptor => {
    const d = descriptor() as unknown as Record<string, unknown>;
    change(d);
    return d as unknown as SingleGateRNNDescriptor;
  };
  const source = (d: Record<string, unknown>, name: string) => d[name] as Record<string, unknown>;

  it('descriptor: recurrentWeight, inputWeight, useFloat32Weight, layerSequenceDirecton', () => {
    const typos: Array<[string, string]> = [
      ['recurrentWeight', 'recurrentWeights'],
      ['inputWeight', 'inputWeights'],
      ['useFloat32Weight', 'useFloat32Weights'],
      ['layerSequenceDirecton', 'layerSequenceDirection'],
    ];
    for (const [typo, meant] of typos) {
      const d = withKeys((o) => {
        o[typo] = o[meant] ?? true;
        delete o[meant];
      });
      expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
        unknownKey('descriptor', typo, meant) + DESCRIPTOR_KEYS,
      );
    }
  });

  it('weights source: biasTerm, nueron, bias (on the input and the recurrent source)', () => {
    const typos: Array<[string, string, string]> = [
      ['inputWeights', 'biasTerm', 'biasTerms'],
      ['inputWeights', 'nueron', 'neuron'],
      ['inputWeights', 'bias', 'biasTerms'],
      ['recurrentWeights', 'biasTerm', 'biasTerms'],
    ];
    for (const [where, typo, meant] of typos) {
      const d = withKeys((o) => {
        source(o, where)[typo] = source(o, 'inputWeights')[meant];
        delete source(o, where)[meant];
      });
      expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
        unknownKey(`descriptor.${where}`, typo, meant) + SOURCE_KEYS,
      );
    }
  });

  it('neuron: A for a', () => {
    const d = withKeys((o) => {
      source(o, 'inputWeights')['neuron'] = {type: 'relu', A: 0.1};
    });
    expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
      unknownKey('descriptor.inputWeights.neuron', 'A', 'a') + "'type', 'a', 'b', 'c'",
    );
  });

  it('options: initalState, masks', () => {
    const typos: Array<[string, string]> = [
      ['initalState', 'initialState'],
      ['masks', 'mask'],
    ];
    for (const [typo, meant] of typos) {
      const options = {[typo]: tf.zeros([2, meant === 'mask' ? 3 : 2])} as SingleGateRNNOptions;
      expect(messageOf(() => singleGateRNN(x(), descriptor(), options))).to.equal(
        unknownKey('options', typo, meant) +
          "'initialState', 'mask', 'storeAllIntermediateStates', 'sequenceLengths'",
      );
    }
  });

  it('a key near no valid one gets no suggestion', () => {
    const d = withKeys((o) => {
      o['momentum'] = 0.9;
    });
    expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
      `descriptor has an unknown key 'momentum'; its keys are ${DESCRIPTOR_KEYS}`,
    );
  });

  it('the correctly spelt keys are the ones that change results', async () => {
    // What the typos above would have silently dropped: each of these changes the output.
    const base = await singleGateRNN(x(), descriptor()).output.data();
    const changed: SingleGateRNNDescriptor[] = [
      {...descriptor(), layerSequenceDirection: 'backward'},
      {...descriptor(), recurrentWeights: null},
      {...descriptor(), inputWeights: {...descriptor().inputWeights!, biasTerms: null}},
    ];
    for (const d of changed) {
      expect(Array.from(await singleGateRNN(x(), d).output.data())).to.not.deep.equal(Array.from(base));
    }
  });

  describe('layer config', () => {
    const layer = (args: Record<string, unknown>) =>
      singleGateRNNLayer({outputFeatureChannels: 3, name: 'rnn', ...args});

    it('returnSequence, and bias in inputWeights', () => {
      expect(messageOf(() => layer({returnSequence: true}))).to.match(
        new RegExp(
          `^${unknownKey("SingleGateRNN layer 'rnn': config", 'returnSequence', 'returnSequences').replace(
            /[()?]/g,
            '\\$&',
          )}'outputFeatureChannels', `,
        ),
      );
      expect(messageOf(() => layer({inputWeights: {bias: false}}))).to.equal(
        unknownKey("SingleGateRNN layer 'rnn': inputWeights", 'bias', 'biasTerms') + "'neuron', 'biasTerms'",
      );
      expect(messageOf(() => layer({inputWeights: {neuron: {type: 'elu', A: 2}}}))).to.equal(
        unknownKey("SingleGateRNN layer 'rnn': inputWeights.neuron", 'A', 'a') + "'type', 'a', 'b', 'c'",
      );
      expect(messageOf(() => layer({recurrentWeights: {weights: null}}))).to.equal(
        "SingleGateRNN layer 'rnn': recurrentWeights has an unknown key 'weights'; it takes none",
      );
    });

    it("accepts the keys tfjs' Layer takes, and recurrentInitializer (a key of the layer now)", async () => {
      const accepted = layer({
        inputShape: [4, 2],
        batchSize: 5,
        dtype: 'float32',
        trainable: false,
        inputDType: 'float32',
        recurrentInitializer: 'ones',
      });
      expect(accepted.batchInputShape).to.deep.equal([5, 4, 2]);
      expect(accepted.trainable).to.equal(false);
      accepted.build([null, 4, 2]);
      const u = accepted.weights.find((w) => w.originalName.endsWith('recurrentWeights'))!;
      expect(Array.from(await u.read().data())).to.deep.equal(new Array<number>(9).fill(1));
      expect(layer({batchInputShape: [null, 4, 2]}).batchInputShape).to.deep.equal([null, 4, 2]);
    });
  });
});
