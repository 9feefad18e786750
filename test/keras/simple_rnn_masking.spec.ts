/**
 * The replaced SimpleRNN against the Keras float64 reference where masks and initial states meet:
 * steps masked before the first consumed one, fully masked rows, go_backwards, zero_output_for_mask,
 * with and without return_sequences. Also the config round trip through save and load.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {expect} from 'chai';
import {SingleGateSimpleRNN, useSingleGateRNNForSimpleRNN} from 'tfjs-single-gate-rnn';

import * as keras from '../fixtures/keras/reference.js';
import {describeAllBackends} from '../util/backends.js';
import {expectArraysClose} from '../util/close.js';
import {Random} from '../util/random.js';

const [B, T, I, H] = [3, 5, 2, 4];
// Row 0 starts masked, row 1 is fully masked, row 2 ends masked.
const MASK = [
  [false, false, true, true, false],
  [false, false, false, false, false],
  [true, true, false, true, false],
];

function matrix(random: Random, rows: number, cols: number): number[][] {
  return Array.from({length: rows}, () => Array.from(random.floats(cols, -0.8, 0.8)));
}

describeAllBackends('SimpleRNN replacement with masks and initial states', ({tolerance}) => {
  const random = new Random(61);
  const x = Array.from({length: B}, () => matrix(random, T, I));
  const h0 = matrix(random, B, H);
  const weights = {
    kernel: matrix(random, I, H),
    recurrentKernel: matrix(random, H, H),
    bias: Array.from(random.floats(H)),
  };

  for (const goBackwards of [false, true]) {
    for (const zeroOutputForMask of [false, true]) {
      for (const returnSequences of [true, false]) {
        const name = `goBackwards ${goBackwards}, zeroOutputForMask ${zeroOutputForMask}, returnSequences ${returnSequences}`;
        it(name, async () => {
          const layer = new SingleGateSimpleRNN({
            units: H,
            activation: 'tanh',
            goBackwards,
            zeroOutputForMask,
            returnSequences,
            returnState: true,
          });
          const expected = keras.simpleRNN(
            x,
            MASK,
            h0,
            weights,
            {activation: 'tanh', goBackwards, zeroOutputForMask},
            2,
          );
          const result = tf.tidy(() => {
            const input = tf.tensor3d(x);
            const kwargs = {
              mask: tf.tensor2d(
                MASK.map((r) => r.map(Number)),
                [B, T],
                'bool',
              ),
              initialState: [tf.tensor2d(h0)],
            };
            layer.apply(input, kwargs); // builds the weights that setWeights fills
            layer.setWeights([
              tf.tensor2d(weights.kernel),
              tf.tensor2d(weights.recurrentKernel),
              tf.tensor1d(weights.bias),
            ]);
            return layer.apply(input, kwargs) as tf.Tensor[];
          });
          const [y, state] = result;
          expectArraysClose(
            await y.data(),
            (returnSequences ? expected.sequence : expected.last).flat(2),
            tolerance,
            {what: 'output'},
          );
          expectArraysClose(await state.data(), expected.state.flat(), tolerance, {what: 'final state'});
          tf.dispose(result);
          layer.dispose();
        });
      }
    }
  }

  it('keeps float16 weights through save and load', async () => {
    const model = tfl.sequential({
      layers: [new SingleGateSimpleRNN({units: H, inputShape: [T, I], useFloat32Weights: false})],
    });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler((artifacts) => {
        saved = artifacts;
        return Promise.resolve({modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}});
      }),
    );
    const restore = useSingleGateRNNForSimpleRNN();
    try {
      const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
      const layer = loaded.layers[0];
      expect(layer).to.be.instanceOf(SingleGateSimpleRNN);
      expect((layer as SingleGateSimpleRNN).useFloat32Weights).to.equal(false);
      loaded.dispose();
    } finally {
      restore();
      model.dispose();
    }
  });
});
