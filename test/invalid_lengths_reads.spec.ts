/**
 * Invalid sequence lengths in a tensor, on a backend that checks them only when a result is read
 * (sequence_lengths.ts): the direct read rejects with the check's message, and nothing computed from
 * the results (a sum, an add, a tidy over them) may read as plausible numbers: every value is NaN.
 * Host backends (cpu, wasm) refuse at the call, which the spec checks too.
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
import {expectNoLeaks} from './util/memory.js';

const [BATCH, TIME, IN, OUT] = [2, 4, 3, 5];
const MESSAGE = 'options.sequenceLengths[0] must be an integer from 0 to time = 4, got 9';

function layer(direction: 'forward' | 'backward' = 'forward', inChannels = IN): SingleGateRNNDescriptor {
  return {
    inputFeatureChannels: inChannels,
    outputFeatureChannels: OUT,
    layerSequenceDirection: direction,
    inputWeights: {
      weights: tf.fill([OUT, inChannels], 0.3),
      biasTerms: tf.fill([OUT], 0.1),
      neuron: {type: 'tanh'},
    },
    recurrentWeights: {weights: tf.fill([OUT, OUT], 0.2)},
  };
}

type Call = (lengths: tf.Tensor1D) => object;

const CALLS: Array<[string, Call]> = [
  ['one layer', (lengths) => singleGateRNN(tf.ones([BATCH, TIME, IN]), layer(), {sequenceLengths: lengths})],
  [
    'a stack with every intermediate state',
    (lengths) =>
      singleGateRNN(tf.ones([BATCH, TIME, IN]), [layer(), layer('forward', OUT)], {
        sequenceLengths: lengths,
        storeAllIntermediateStates: true,
      }),
  ],
  [
    'the image variant (rank-5 results)',
    (lengths) =>
      singleGateConvRNN(
        tf.ones<tf.Rank.R5>([BATCH, TIME, 2, 2, 1]),
        {
          inputFeatureChannels: 1,
          outputFeatureChannels: 2,
          inputWeights: {weights: tf.fill([2, 3, 3, 1], 0.1)},
        },
        {sequenceLengths: lengths},
      ),
  ],
  [
    'bidirectional, concatenated',
    (lengths) =>
      singleGateRNNBidirectional(tf.ones([BATCH, TIME, IN]), [layer(), layer('backward')], {
        sequenceLengths: lengths,
        bidirectionalCombineMode: 'concatenate',
      }),
  ],
];

/** Every tensor in a result, nested objects and arrays included. */
function tensorsOf(value: unknown): tf.Tensor[] {
  if (value instanceof tf.Tensor) return [value as tf.Tensor];
  if (value != null && typeof value === 'object') return Object.values(value).flatMap(tensorsOf);
  return [];
}

describeAllBackends(
  'invalid sequence lengths: no derived read looks valid',
  () => {
    for (const [name, call] of CALLS) {
      it(`${name}, lengths [9, -2] with time = 4`, async () => {
        await expectNoLeaks(async () => {
          const lengths = tf.tensor1d([9, -2], 'int32');
          let result: object;
          try {
            result = tf.tidy(() => call(lengths) as tf.TensorContainer) as object;
          } catch (e) {
            expect((e as Error).message).to.equal(MESSAGE);
            expect(['cpu', 'wasm'], 'refused at the call').to.include(tf.getBackend());
            lengths.dispose();
            return;
          }
          lengths.dispose();
          try {
            for (const tensor of tensorsOf(result)) {
              const derived = [
                tf.sum(tensor),
                tf.add(tensor, 0),
                tf.tidy(() => tf.mul(tf.reshape(tensor, [-1]), 2)),
              ];
              for (const value of derived) {
                const values = Array.from(await value.data());
                value.dispose();
                expect(
                  values.every(Number.isNaN),
                  `derived read of a result: ${values.slice(0, 4).join(', ')}`,
                ).to.equal(true);
              }
            }
            const output = tensorsOf(result)[0];
            let message = 'the direct read resolved';
            await output.data().catch((e: Error) => (message = e.message));
            expect(message).to.equal(MESSAGE);
          } finally {
            tf.dispose(tensorsOf(result));
          }
        });
      });
    }
  },
  everyBackend,
);
