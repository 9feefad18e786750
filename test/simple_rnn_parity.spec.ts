/**
 * Where the semantics coincide, the op must agree with tfjs' own `tf.layers.simpleRNN`, run on the cpu
 * backend: Keras keeps W and U transposed (`kernel` [in, units], `recurrent_kernel` [units, units]).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {makeProblem, runOp} from './util/problem.js';

interface Parity {
  activation: 'tanh' | 'linear' | 'relu';
  neuron: {type: string; a: number; b: number; c: number};
}

const PARITIES: Parity[] = [
  {activation: 'tanh', neuron: {type: 'tanh', a: 1, b: 1, c: 0}},
  {activation: 'linear', neuron: {type: 'none', a: 0, b: 0, c: 0}},
  {activation: 'relu', neuron: {type: 'relu', a: 0, b: 0, c: 0}},
];

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c];
  return out;
}

describeAllBackends('parity with tf.layers.simpleRNN', ({name, tolerance}) => {
  for (const {activation, neuron} of PARITIES) {
    for (const goBackwards of [false, true]) {
      it(`${activation}${goBackwards ? ', go backwards' : ''}`, async function () {
        const [B, T, I, H] = [3, 9, 5, 7];
        const problem = makeProblem({
          batch: B,
          time: T,
          inputChannels: I,
          outputChannels: H,
          neuron,
          float32Weights: true,
          backward: goBackwards,
          weightScale: 0.8,
          seed: 41,
        });
        const ours = await runOp(problem);

        await tf.setBackend('cpu');
        const expected = tf.tidy(() => {
          const layer = tfl.layers.simpleRNN({units: H, activation, returnSequences: true, goBackwards});
          const y = layer.apply(tf.tensor3d(problem.x, [B, T, I])) as tf.Tensor;
          layer.setWeights([
            tf.tensor2d(transpose(problem.w!, H, I), [I, H]),
            tf.tensor2d(transpose(problem.u!, H, H), [H, H]),
            tf.tensor1d(problem.bias!),
          ]);
          void y;
          return layer.apply(tf.tensor3d(problem.x, [B, T, I])) as tf.Tensor3D;
        });
        let keras: Float32Array;
        try {
          keras = (await expected.data()) as Float32Array;
        } finally {
          expected.dispose();
          await tf.setBackend(name);
        }
        // Keras returns a backwards sequence in processing order: its index k holds the state after
        // consuming x_{T-1-k}; ours holds at index t the state after consuming x_t.
        const aligned = new Float32Array(keras.length);
        for (let n = 0; n < B; n++) {
          for (let k = 0; k < T; k++) {
            const t = goBackwards ? T - 1 - k : k;
            aligned.set(keras.subarray((n * T + k) * H, (n * T + k + 1) * H), (n * T + t) * H);
          }
        }
        expectArraysClose(ours.output, aligned, tolerance, {
          what: `${activation} output`,
          shape: ours.outputShape,
        });
      });
    }
  }
});
