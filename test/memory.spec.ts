/** The op and the layer leave behind exactly the tensors they return. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {expect} from 'chai';

import {getKernel} from '@tensorflow/tfjs-core';
import {singleGateRNN, singleGateRNNLayer} from 'tfjs-single-gate-rnn';
import {SingleGateRNN as SingleGateRNNKernelName} from '../src/contracts/matrix_kernel.js';
import {describeAllBackends} from './util/backends.js';
import {descriptorOf, makeProblem} from './util/problem.js';

describeAllBackends('memory', (backend) => {
  const problem = makeProblem({
    batch: 2,
    time: 4,
    inputChannels: 3,
    outputChannels: 5,
    neuron: {type: 'tanh', a: 1, b: 1, c: 0},
    initialState: true,
  });

  it('is a tfjs op: named singleGateRNN__op, profiled as the SingleGateRNN kernel (or the portable path), tidy inside', async function () {
    // tfjs' op() names the function with its scope suffix, which is what traces and debug logs show.
    expect(singleGateRNN.name).to.equal(`singleGateRNN${tf.OP_SCOPE_SUFFIX}`);
    const descriptor = descriptorOf(problem);
    // Array inputs and a numeric mask make tensors inside the op; only the outputs may remain.
    const xTensor = tf.tensor3d(problem.x, [2, 4, 3]);
    const x = xTensor.arraySync();
    xTensor.dispose();
    const info = await tf.profile(() => {
      const {output, finalState} = singleGateRNN(x, descriptor, {
        mask: [
          [1, 1, 0, 1],
          [1, 0, 1, 1],
        ],
      });
      return [output, finalState];
    });
    // A backend without our kernel runs the portable path: stock kernels, the projection a BatchMatMul.
    if (getKernel(SingleGateRNNKernelName, backend.name) != null) {
      expect(info.kernelNames).to.include(SingleGateRNNKernelName);
    } else {
      expect(info.kernelNames).to.include('BatchMatMul').and.not.include(SingleGateRNNKernelName);
    }
    expect(info.newTensors).to.equal(2);
    tf.dispose([
      info.result,
      descriptor.inputWeights!.weights as tf.Tensor,
      descriptor.inputWeights!.biasTerms as tf.Tensor,
      descriptor.recurrentWeights!.weights as tf.Tensor,
    ]);
  });

  it('an op call adds only its outputs, and disposing them returns to the start', async function () {
    const x = tf.tensor3d(problem.x, [2, 4, 3]);
    const h0 = tf.tensor2d(problem.initialState!, [2, 5]);
    const descriptor = descriptorOf(problem);
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    const result = singleGateRNN(x, descriptor, {initialState: h0, storeAllIntermediateStates: true});
    await result.output.data();
    expect(tf.memory().numTensors).to.equal(tensors + 3);
    tf.dispose([result.output, result.finalState, result.intermediateStates!]);
    expect(tf.memory().numTensors).to.equal(tensors);
    expect(tf.memory().numBytes).to.equal(bytes);
    tf.dispose([
      x,
      h0,
      descriptor.inputWeights!.weights as tf.Tensor,
      descriptor.inputWeights!.biasTerms as tf.Tensor,
      descriptor.recurrentWeights!.weights as tf.Tensor,
    ]);
  });

  it('an op call on plain arrays keeps none of the tensors it made from them', async function () {
    const tensors = tf.memory().numTensors;
    const result = singleGateRNN([[[1, 2]], [[3, 4]]], {
      inputFeatureChannels: 2,
      outputFeatureChannels: 2,
      useFloat32Weights: true,
      inputWeights: {
        weights: [
          [1, 0],
          [0, 1],
        ],
        biasTerms: [0.5, -0.5],
        neuron: {type: 'tanh'},
      },
      recurrentWeights: {
        weights: [
          [0.5, 0],
          [0, 0.5],
        ],
      },
    });
    expect(tf.memory().numTensors).to.equal(tensors + 2);
    expect(Array.from(await result.finalState.data())).to.have.length(4);
    tf.dispose([result.output, result.finalState]);
    expect(tf.memory().numTensors).to.equal(tensors);
  });

  it('a layer predict adds only its output', async function () {
    const model = tfl.sequential({
      layers: [singleGateRNNLayer({outputFeatureChannels: 5, inputShape: [4, 3], returnSequences: true})],
    });
    const x = tf.tensor3d(problem.x, [2, 4, 3]);
    const tensors = tf.memory().numTensors;
    const y = model.predict(x) as tf.Tensor;
    await y.data();
    expect(tf.memory().numTensors).to.equal(tensors + 1);
    y.dispose();
    expect(tf.memory().numTensors).to.equal(tensors);
    x.dispose();
    model.dispose();
  });
});
