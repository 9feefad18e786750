/** Bad input is refused with a message that names the argument and shows expected vs got. */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {singleGateRNN, SingleGateRNNDescriptor} from 'tfjs-single-gate-rnn';

import {describeAllBackends} from './util/backends.js';
import {messageOf} from './message_of.js';

function descriptor(overrides: Partial<SingleGateRNNDescriptor> = {}): SingleGateRNNDescriptor {
  return {
    inputFeatureChannels: 3,
    outputFeatureChannels: 4,
    inputWeights: {weights: tf.zeros([4, 3]), biasTerms: tf.zeros([4]), neuron: {type: 'tanh'}},
    recurrentWeights: {weights: tf.zeros([4, 4])},
    ...overrides,
  };
}

describeAllBackends('errors', () => {
  // Descriptors are built outside the calls under test; a scope per test disposes their tensors.
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());
  const x = (): tf.Tensor3D => tf.zeros([2, 5, 3]);

  it('x of the wrong rank', () => {
    expect(
      messageOf(() => singleGateRNN(tf.zeros([2, 5, 3, 1]) as unknown as tf.Tensor3D, descriptor())),
    ).to.equal(
      'x must be rank 3 [batch, time, inputFeatureChannels] or rank 2 [batch, inputFeatureChannels] ' +
        '(one step), got rank 4 with shape [2, 5, 3, 1]',
    );
  });

  it('x whose channels differ from inputFeatureChannels', () => {
    expect(messageOf(() => singleGateRNN(tf.zeros([2, 5, 4]), descriptor()))).to.equal(
      'x must be [batch, time, inputFeatureChannels] with inputFeatureChannels = 3, got [2, 5, 4]',
    );
  });

  it('an empty time dimension', () => {
    expect(messageOf(() => singleGateRNN(tf.zeros([2, 0, 3]), descriptor()))).to.equal(
      'x must have at least one sequence and one time step, got [2, 0, 3] (time is empty)',
    );
  });

  it('an empty batch', () => {
    expect(messageOf(() => singleGateRNN(tf.zeros([0, 5, 3]), descriptor()))).to.contain('(batch is empty)');
  });

  it('input weights of the wrong shape', () => {
    const d = descriptor({inputWeights: {weights: tf.zeros([3, 4])}});
    expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
      'descriptor.inputWeights.weights must be [outputFeatureChannels, inputFeatureChannels] = [4, 3], got [3, 4]',
    );
  });

  it('non-square recurrent weights', () => {
    const d = descriptor({recurrentWeights: {weights: tf.zeros([4, 5])}});
    expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
      'descriptor.recurrentWeights.weights must be square [outputFeatureChannels, outputFeatureChannels] = [4, 4], got [4, 5]',
    );
  });

  it('bias terms of the wrong length', () => {
    const d = descriptor({inputWeights: {weights: tf.zeros([4, 3]), biasTerms: [1, 2, 3]}});
    expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
      'descriptor.inputWeights.biasTerms must be [outputFeatureChannels] = [4], got [3]',
    );
  });

  it('an initial state of the wrong shape', () => {
    expect(messageOf(() => singleGateRNN(x(), descriptor(), {initialState: tf.zeros([1, 4])}))).to.equal(
      'options.initialState must be [batch, outputFeatureChannels] = [2, 4], got [1, 4]',
    );
  });

  it('a mask of the wrong shape or dtype', () => {
    expect(messageOf(() => singleGateRNN(x(), descriptor(), {mask: tf.ones([2, 4])}))).to.equal(
      'options.mask must be [batch, time] = [2, 5], got [2, 4]',
    );
    expect(messageOf(() => singleGateRNN(x(), descriptor(), {mask: tf.tensor([['a']])}))).to.equal(
      'options.mask must be a bool or numeric tensor, got dtype string',
    );
  });

  it('non-float dtypes', () => {
    expect(messageOf(() => singleGateRNN(tf.zeros([2, 5, 3], 'int32'), descriptor()))).to.equal(
      'x must be a float32 tensor, got dtype int32',
    );
    const d = descriptor({recurrentWeights: {weights: tf.zeros([4, 4], 'int32')}});
    expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
      'descriptor.recurrentWeights.weights must be a float32 tensor, got dtype int32',
    );
    const b = descriptor({inputWeights: {weights: tf.zeros([4, 3]), biasTerms: tf.zeros([4], 'bool')}});
    expect(messageOf(() => singleGateRNN(x(), b))).to.equal(
      'descriptor.inputWeights.biasTerms must be a float32 tensor, got dtype bool',
    );
  });

  const badCounts: Array<[unknown, string]> = [
    [-1, '-1'],
    [0, '0'],
    [2.5, '2.5'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    ['3', '"3"'],
  ];
  for (const [bad, shown] of badCounts) {
    it(`channel count ${shown}`, () => {
      const d = descriptor({outputFeatureChannels: bad as number});
      expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
        `descriptor.outputFeatureChannels must be an integer >= 1, got ${shown}`,
      );
    });
  }

  it('ragged nested arrays, for x and for the mask', () => {
    expect(
      messageOf(() =>
        singleGateRNN(
          [
            [
              [1, 2, 3],
              [4, 5],
            ],
          ],
          descriptor(),
        ),
      ),
    ).to.equal(
      'x must be a rectangular (nested) array: its first entries make it [1, 2, 3], 6 values, but it holds 5',
    );
    expect(messageOf(() => singleGateRNN(tf.zeros([2, 2, 3]), descriptor(), {mask: [[1, 0], [1]]}))).to.equal(
      'options.mask must be a rectangular (nested) array: its first entries make it [2, 2], 4 values, but it holds 3',
    );
  });

  it('a fractional inputFeatureChannels', () => {
    expect(messageOf(() => singleGateRNN(x(), descriptor({inputFeatureChannels: 3.5})))).to.equal(
      'descriptor.inputFeatureChannels must be an integer >= 1, got 3.5',
    );
  });

  it('an unknown direction', () => {
    const d = descriptor({layerSequenceDirection: 'sideways' as never});
    expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
      `descriptor.layerSequenceDirection must be 'forward' or 'backward', got "sideways"`,
    );
  });

  it('an unknown neuron, listing the known ones', () => {
    const d = descriptor({inputWeights: {weights: tf.zeros([4, 3]), neuron: {type: 'swish' as never}}});
    const message = messageOf(() => singleGateRNN(x(), d));
    expect(message).to.match(
      /^descriptor\.inputWeights\.neuron\.type must be one of 'none', 'relu', .*'gelu'; got "swish"$/,
    );
  });

  it('PReLU, by type or by per-channel parameters', () => {
    const byType = descriptor({inputWeights: {weights: tf.zeros([4, 3]), neuron: {type: 'prelu' as never}}});
    expect(messageOf(() => singleGateRNN(x(), byType))).to.contain('PReLU');
    const byArray = descriptor({
      inputWeights: {weights: tf.zeros([4, 3]), neuron: {type: 'relu', a: [0.1, 0.2] as never}},
    });
    expect(messageOf(() => singleGateRNN(x(), byArray))).to.equal(
      'descriptor.inputWeights.neuron.a must be a single number: per-channel neuron parameters (PReLU) cannot be fused; got an array of length 2',
    );
  });

  it('a non-finite neuron parameter', () => {
    const d = descriptor({inputWeights: {weights: tf.zeros([4, 3]), neuron: {type: 'elu', a: Infinity}}});
    expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
      'descriptor.inputWeights.neuron.a must be a finite number, got Infinity',
    );
  });

  it('unit-transform mode with different channel counts', () => {
    const d = descriptor({useLayerInputUnitTransformMode: true});
    expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
      'descriptor.useLayerInputUnitTransformMode replaces W x by x, so inputFeatureChannels must equal outputFeatureChannels; got 3 and 4',
    );
  });

  it('a bias or neuron on the recurrent source, which a single-gate layer does not read', () => {
    const bias = descriptor({recurrentWeights: {weights: tf.zeros([4, 4]), biasTerms: tf.zeros([4])}});
    expect(messageOf(() => singleGateRNN(x(), bias))).to.contain(
      'descriptor.recurrentWeights.biasTerms is not used',
    );
    const neuron = descriptor({recurrentWeights: {weights: tf.zeros([4, 4]), neuron: {type: 'tanh'}}});
    expect(messageOf(() => singleGateRNN(x(), neuron))).to.contain(
      'descriptor.recurrentWeights.neuron is not used',
    );
  });

  it('a weights source without weights', () => {
    const d = descriptor({recurrentWeights: {weights: null}});
    expect(messageOf(() => singleGateRNN(x(), d))).to.contain(
      'descriptor.recurrentWeights.weights is required',
    );
  });

  it('a flag that is not a boolean', () => {
    const d = descriptor({useFloat32Weights: 'yes' as never});
    expect(messageOf(() => singleGateRNN(x(), d))).to.equal(
      'descriptor.useFloat32Weights must be true or false, got "yes"',
    );
  });

  it('leaves no tensor behind when it throws', () => {
    const d = descriptor();
    // No tidy or scope around the call: whatever the op leaked would still be counted.
    tf.engine().endScope();
    try {
      const before = tf.memory().numTensors;
      let message = '';
      try {
        singleGateRNN([[[1, 2, 3, 4]]], d);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).to.contain('inputFeatureChannels = 3');
      expect(tf.memory().numTensors).to.equal(before);
    } finally {
      tf.dispose([
        d.inputWeights!.weights as tf.Tensor,
        d.inputWeights!.biasTerms as tf.Tensor,
        d.recurrentWeights!.weights as tf.Tensor,
      ]);
      tf.engine().startScope();
    }
  });
});
