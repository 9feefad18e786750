/**
 * Neuron parameters that float32 cannot hold are refused: every backend stores them as float32, so
 * 1e39 would become Inf and 1e-46 zero, each backend in its own way (hardSigmoid at 0 gave 0.5, 0 and
 * NaN on different backends).
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {NeuronDescriptor, singleGateRNN} from 'tfjs-single-gate-rnn';

import {describeAllBackends} from './util/backends.js';
import {messageOf} from './message_of.js';

function callWith(neuron: NeuronDescriptor): () => unknown {
  return () =>
    tf.tidy(() =>
      singleGateRNN(tf.zeros([1, 2, 3]), {
        inputFeatureChannels: 3,
        outputFeatureChannels: 2,
        useFloat32Weights: true,
        inputWeights: {weights: tf.ones([2, 3]), neuron},
      }),
    );
}

describeAllBackends('neuron parameters outside float32', () => {
  const refused: Array<[NeuronDescriptor, string, string]> = [
    [{type: 'hardSigmoid', a: 1e39}, 'a', 'got 1e+39, which float32 holds as Infinity'],
    [{type: 'hardSigmoid', a: 1e-46, b: 1e-46}, 'a', 'got 1e-46, which float32 holds as 0'],
    [{type: 'linear', b: -1e-46}, 'b', 'got -1e-46, which float32 holds as 0'],
    [{type: 'power', c: -3.5e38}, 'c', 'got -3.5e+38, which float32 holds as -Infinity'],
  ];
  for (const [neuron, name, got] of refused) {
    it(`refuses ${JSON.stringify(neuron)}, naming ${name}`, () => {
      expect(messageOf(callWith(neuron))).to.equal(
        `descriptor.inputWeights.neuron.${name} must be representable in float32 (magnitude between ` +
          `1.401298464324817e-45 and 3.4028234663852886e+38, or 0), ${got}`,
      );
    });
  }

  it('accepts the float32 extremes and zero', async () => {
    for (const neuron of [
      {type: 'linear', a: 3.4028234663852886e38, b: -1.401298464324817e-45},
      {type: 'hardSigmoid', a: 0, b: 0},
    ] as NeuronDescriptor[]) {
      const result = callWith(neuron)() as {output: tf.Tensor; finalState: tf.Tensor};
      // x = 0, so the neuron sees its bias-free pre-activation 0: linear gives b, hardSigmoid 0.
      const values = await result.output.data();
      tf.dispose(result);
      expect(Array.from(values).every(Number.isFinite), JSON.stringify(neuron)).to.equal(true);
    }
  });
});
