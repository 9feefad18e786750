/**
 * A disposed tensor given to the op, or a descriptor kept after its weights were disposed, is refused
 * with a message that names the argument and says it was disposed (tfjs alone fails deep in a kernel
 * with "Cannot read properties of undefined (reading 'backend')").
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {
  singleGateConvRNN,
  singleGateRNN,
  singleGateRNNBidirectional,
  SingleGateRNNDescriptor,
} from 'tfjs-single-gate-rnn';

import {describeAllBackends, everyBackend} from './util/backends.js';
import {messageOf} from './message_of.js';

const [BATCH, TIME, IN, OUT] = [2, 3, 3, 4];

interface Inputs {
  x: tf.Tensor3D;
  w: tf.Tensor2D;
  bias: tf.Tensor1D;
  u: tf.Tensor2D;
  h0: tf.Tensor2D;
  mask: tf.Tensor2D;
  lengths: tf.Tensor1D;
}

function inputs(): Inputs {
  return {
    x: tf.ones([BATCH, TIME, IN]),
    w: tf.ones([OUT, IN]),
    bias: tf.zeros([OUT]),
    u: tf.eye(OUT),
    h0: tf.zeros([BATCH, OUT]),
    mask: tf.ones<tf.Rank.R2>([BATCH, TIME], 'bool'),
    lengths: tf.tensor1d([TIME, 1], 'int32'),
  };
}

function descriptor(i: Inputs, direction: 'forward' | 'backward' = 'forward'): SingleGateRNNDescriptor {
  return {
    inputFeatureChannels: IN,
    outputFeatureChannels: OUT,
    layerSequenceDirection: direction,
    inputWeights: {weights: i.w, biasTerms: i.bias, neuron: {type: 'tanh'}},
    recurrentWeights: {weights: i.u},
  };
}

const CASES: Array<[keyof Inputs, string, (i: Inputs) => unknown]> = [
  ['x', 'x', (i) => singleGateRNN(i.x, descriptor(i))],
  ['w', 'descriptor.inputWeights.weights', (i) => singleGateRNN(i.x, descriptor(i))],
  ['bias', 'descriptor.inputWeights.biasTerms', (i) => singleGateRNN(i.x, descriptor(i))],
  ['u', 'descriptor.recurrentWeights.weights', (i) => singleGateRNN(i.x, descriptor(i))],
  ['h0', 'options.initialState', (i) => singleGateRNN(i.x, descriptor(i), {initialState: i.h0})],
  ['mask', 'options.mask', (i) => singleGateRNN(i.x, descriptor(i), {mask: i.mask})],
  [
    'lengths',
    'options.sequenceLengths',
    (i) => singleGateRNN(i.x, descriptor(i), {sequenceLengths: i.lengths}),
  ],
  ['w', 'descriptors[0].inputWeights.weights', (i) => singleGateRNN(i.x, [descriptor(i)])],
  [
    'u',
    'descriptors[1].recurrentWeights.weights',
    // The forward layer gets a U of its own, so only the backward layer's is disposed.
    (i) =>
      singleGateRNNBidirectional(i.x, [
        {...descriptor(i), recurrentWeights: {weights: tf.eye(OUT)}},
        descriptor(i, 'backward'),
      ]),
  ],
];

describeAllBackends(
  'disposed inputs',
  () => {
    beforeEach(() => tf.engine().startScope());
    afterEach(() => tf.engine().endScope());

    for (const [which, argName, call] of CASES) {
      it(`${argName}`, () => {
        const i = inputs();
        i[which].dispose();
        expect(messageOf(() => call(i))).to.match(
          new RegExp(`^${argName.replace(/[.[\]]/g, '\\$&')} was disposed`),
        );
      });
    }

    it('a descriptor reused after its weights were disposed', async () => {
      const i = inputs();
      const d = descriptor(i);
      const first = singleGateRNN(i.x, d);
      expect((await first.output.data()).length).to.equal(BATCH * TIME * OUT);
      tf.dispose([i.w, i.bias, i.u]);
      expect(messageOf(() => singleGateRNN(i.x, d))).to.equal(
        `descriptor.inputWeights.weights was disposed: pass a live tensor (shape [${OUT}, ${IN}])`,
      );
    });

    it('the image variant: x and W', () => {
      const x = tf.ones<tf.Rank.R5>([1, 2, 3, 3, 2]);
      const w = tf.ones<tf.Rank.R4>([2, 3, 3, 2]);
      const d = {inputFeatureChannels: 2, outputFeatureChannels: 2, inputWeights: {weights: w}};
      w.dispose();
      expect(messageOf(() => singleGateConvRNN(x, d))).to.match(
        /^descriptor\.inputWeights\.weights was disposed/,
      );
      x.dispose();
      expect(messageOf(() => singleGateConvRNN(x, d))).to.match(/^x was disposed/);
    });
  },
  everyBackend,
);
