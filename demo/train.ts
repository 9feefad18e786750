/**
 * Trains the demo model and saves it to demo/model. The op is inference-only, so training uses
 * tfjs' own simpleRNN; its weights then move into a SingleGateRNN layer (W = kernelᵀ, U =
 * recurrent_kernelᵀ). Run with `npm run demo:train`; the result is committed, so the demo needs
 * no training.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';

import {singleGateRNNLayer} from '../src/index.js';
import {fileSaver} from './model_files.js';
import {makeWaves, WINDOW} from './sine.js';

const UNITS = 16;

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const trainer = tfl.sequential({
    layers: [
      tfl.layers.simpleRNN({units: UNITS, inputShape: [WINDOW, 1], activation: 'tanh'}),
      tfl.layers.dense({units: 1}),
    ],
  });
  trainer.compile({optimizer: tf.train.adam(0.01), loss: 'meanSquaredError'});
  const train = makeWaves(2048, 7);
  await trainer.fit(train.windows, train.next, {
    epochs: 40,
    batchSize: 64,
    verbose: 0,
    callbacks: {
      onEpochEnd: (epoch, logs) => void console.log(`epoch ${epoch + 1}: loss ${logs?.loss.toFixed(6)}`),
    },
  });

  const [kernel, recurrentKernel, bias, denseKernel, denseBias] = trainer.getWeights();
  const model = tfl.sequential({
    layers: [
      singleGateRNNLayer({
        name: 'single_gate_rnn',
        outputFeatureChannels: UNITS,
        inputShape: [null, 1],
        useFloat32Weights: true,
        inputWeights: {neuron: {type: 'tanh'}},
      }),
      tfl.layers.dense({name: 'next_sample', units: 1}),
    ],
  });
  model.setWeights([tf.transpose(kernel), tf.transpose(recurrentKernel), bias, denseKernel, denseBias]);
  await model.save(fileSaver('demo/model'));
  console.log('saved demo/model');
}

void main();
