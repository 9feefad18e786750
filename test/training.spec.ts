/**
 * The layer trains through the portable path (stock ops, with gradients) while prediction keeps the
 * fused kernel; the op itself stays gradient-free (layer.spec.ts, 'inference only').
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {expect} from 'chai';
import {singleGateRNNLayer} from 'tfjs-single-gate-rnn';

import {SingleGateRNN as SingleGateRNNKernelName} from '../src/contracts/matrix_kernel.js';
import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {Random} from './util/random.js';
import {PORTABLE_TOLERANCE} from './util/tolerance.js';

const [B, T, I, H] = [3, 5, 2, 4];

/** A tensor of uniform values in [low, high), from a fixed seed. */
function randomTensor(shape: number[], seed: number, low = -1, high = 1): tf.Tensor {
  return tf.tensor(
    new Random(seed).floats(
      shape.reduce((a, b) => a * b, 1),
      low,
      high,
    ),
    shape,
  );
}

/** The kernel a prediction on `backend` must show: ours where registered, else the projection's. */
function predictionKernel(backend: string): string {
  return tf.getKernel(SingleGateRNNKernelName, backend) != null ? SingleGateRNNKernelName : 'BatchMatMul';
}

describeAllBackends('training', (backend) => {
  it('model.fit lowers the loss (float16 weights), training stays off the fused kernel, prediction after it uses it', async function () {
    // tfjs-layers' fit on a GPU backend takes a while on a software renderer.
    this.timeout(60_000);
    const model = tfl.sequential({
      layers: [
        singleGateRNNLayer({
          outputFeatureChannels: H,
          inputShape: [T, I],
          inputWeights: {neuron: {type: 'tanh'}},
        }),
        tfl.layers.dense({units: 1}),
      ],
    });
    const optimizer = tf.train.adam(0.05);
    model.compile({optimizer, loss: 'meanSquaredError'});
    const x = randomTensor([16, T, I], 1);
    // A target the model can learn: a quarter of the sum of every input.
    const y = tf.tidy(() => tf.reshape(tf.mul(tf.sum(x, [1, 2]), 0.25), [16, 1]));
    const training = await tf.profile(async () => model.trainOnBatch(x, y));
    expect(training.kernelNames).to.not.include(SingleGateRNNKernelName);
    const history = await model.fit(x, y, {epochs: 25, batchSize: 16, verbose: 0});
    const losses = history.history['loss'] as number[];
    expect(losses[losses.length - 1], `losses ${losses.join(', ')}`).to.be.below(0.5 * losses[0]);

    const prediction = await tf.profile(() => model.predict(x));
    expect(prediction.kernelNames).to.include(predictionKernel(backend.name));
    tf.dispose([x, y, prediction.result]);
    model.dispose();
    optimizer.dispose();
  });

  it('a training call computes what prediction computes, float16 rounding included', async () => {
    const layer = singleGateRNNLayer({
      outputFeatureChannels: H,
      returnSequences: true,
      inputWeights: {neuron: {type: 'tanh'}},
    });
    const x = randomTensor([B, T, I], 2);
    const predicted = layer.apply(x) as tf.Tensor;
    const trained = layer.apply(x, {training: true}) as tf.Tensor;
    expectArraysClose(await trained.data(), await predicted.data(), PORTABLE_TOLERANCE, {
      what: 'training-call output',
      shape: trained.shape,
    });
    tf.dispose([x, predicted, trained]);
  });

  it("gradients match tf.layers.simpleRNN's for tanh with the same weights", async () => {
    const kernel = randomTensor([I, H], 3, -0.8, 0.8);
    const recurrent = randomTensor([H, H], 4, -0.6, 0.6);
    const bias = randomTensor([H], 5, -0.3, 0.3);
    const x = randomTensor([B, T, I], 6);
    // A loss that weighs every output differently, so each gradient entry is checked.
    const weights = randomTensor([B, T, H], 7);
    const simple = tfl.layers.simpleRNN({units: H, activation: 'tanh', returnSequences: true});
    // Applying builds a layer the way tfjs-layers expects (a second build would add its weights twice).
    tf.dispose(simple.apply(x) as tf.Tensor);
    simple.setWeights([kernel, recurrent, bias]);
    const ours = singleGateRNNLayer({
      outputFeatureChannels: H,
      useFloat32Weights: true,
      returnSequences: true,
      inputWeights: {neuron: {type: 'tanh'}},
    });
    tf.dispose(ours.apply(x) as tf.Tensor);
    // MPS' W and U are Keras' kernel and recurrent kernel transposed.
    ours.setWeights([tf.transpose(kernel), tf.transpose(recurrent), bias]);

    const gradients = (layer: tfl.layers.Layer): tf.Tensor[] => {
      const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const {grads} = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, weights)), variables);
      return variables.map((v) => grads[v.name]);
    };
    const [dKernel, dRecurrent, dBias] = gradients(simple);
    const [dW, dU, dB] = gradients(ours);
    // Both run the same float32 ops in a different order: the portable path's tolerance.
    const pairs: Array<[string, tf.Tensor, tf.Tensor]> = [
      ['dL/dW', dW, tf.transpose(dKernel)],
      ['dL/dU', dU, tf.transpose(dRecurrent)],
      ['dL/db', dB, dBias],
    ];
    for (const [what, got, expected] of pairs) {
      expect(got.shape, what).to.deep.equal(expected.shape);
      expectArraysClose(await got.data(), await expected.data(), PORTABLE_TOLERANCE, {
        what,
        shape: got.shape,
      });
    }
    tf.dispose([
      kernel,
      recurrent,
      bias,
      x,
      weights,
      dKernel,
      dRecurrent,
      dBias,
      dW,
      dU,
      dB,
      ...pairs.map((p) => p[2]),
    ]);
    simple.dispose();
    ours.dispose();
  });
});
