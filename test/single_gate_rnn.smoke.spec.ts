/**
 * A smoke test of the op on every backend with a kernel: small enough to check by hand, so a broken
 * build or registration shows up before the full specs run.
 */
import {dispose} from '@tensorflow/tfjs-core';
import {singleGateRNN, SingleGateRNNDescriptor} from 'tfjs-single-gate-rnn';

import {describeAllBackends} from './util/backends.js';
import {expectTensorClose} from './util/close.js';
import {expectNoLeaks} from './util/memory.js';

// W = U = 0.5 are exact in float16, so the default float16 weights do not change the expected values.
const descriptor: SingleGateRNNDescriptor = {
  inputFeatureChannels: 1,
  outputFeatureChannels: 1,
  inputWeights: {weights: [[0.5]]},
  recurrentWeights: {weights: [[0.5]]},
};
const x = [[[1], [2], [3]]];

describeAllBackends('singleGateRNN smoke', (backend) => {
  it('runs forward: h_t = 0.5 x_t + 0.5 h_{t-1}', async () => {
    await expectNoLeaks(async () => {
      const {output, finalState} = singleGateRNN(x, descriptor);
      await expectTensorClose(output, [[[0.5], [1.25], [2.125]]], backend.tolerance, {what: 'output'});
      await expectTensorClose(finalState, [[2.125]], backend.tolerance, {what: 'finalState'});
      dispose([output, finalState]);
    });
  });

  it('runs backward, from the last step to the first', async () => {
    await expectNoLeaks(async () => {
      const {output, finalState} = singleGateRNN(x, {...descriptor, layerSequenceDirection: 'backward'});
      await expectTensorClose(output, [[[1.375], [1.75], [1.5]]], backend.tolerance, {what: 'output'});
      await expectTensorClose(finalState, [[1.375]], backend.tolerance, {what: 'finalState'});
      dispose([output, finalState]);
    });
  });
});
