/**
 * The image variant's bad inputs, each with its message (argument, expected, got); the gradient guard;
 * and no tensor left behind by a refused call.
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {
  SingleGateConvRNNDescriptor,
  singleGateConvRNN,
  singleGateConvRNNBidirectional,
} from 'tfjs-single-gate-rnn';

import {messageOf} from './message_of.js';
import {describeAllBackends, everyBackend} from './util/backends.js';
import {expectNoLeaks} from './util/memory.js';

/** x [1, 2, 4, 4, 3] and a 3 → 4 channel layer with 3x3 kernels; `change` edits the descriptor. */
function call(
  change: (d: SingleGateConvRNNDescriptor) => unknown = (d) => d,
  xShape: number[] = [1, 2, 4, 4, 3],
  options: () => Record<string, unknown> = () => ({}),
): () => unknown {
  return () => {
    const descriptor: SingleGateConvRNNDescriptor = {
      inputFeatureChannels: 3,
      outputFeatureChannels: 4,
      inputWeights: {weights: tf.zeros([4, 3, 3, 3]), biasTerms: tf.zeros([4])},
      recurrentWeights: {weights: tf.zeros([4, 3, 3, 4])},
    };
    return singleGateConvRNN(
      tf.zeros(xShape) as unknown as tf.Tensor5D,
      change(descriptor) as SingleGateConvRNNDescriptor,
      options(),
    );
  };
}

const W_DIMS = '[outputFeatureChannels, kernelHeight, kernelWidth, inputFeatureChannels]';
const U_DIMS = '[outputFeatureChannels, kernelHeight, kernelWidth, outputFeatureChannels]';

const CASES: Array<[string, () => unknown, string]> = [
  [
    'x not rank 5',
    call(undefined, [1, 2, 3]),
    'x must be rank 5 [batch, time, height, width, inputFeatureChannels], got rank 3 with shape [1, 2, 3]',
  ],
  [
    'x with other channels',
    call(undefined, [1, 2, 4, 4, 5]),
    'x must be [batch, time, height, width, inputFeatureChannels] with inputFeatureChannels = 3, got [1, 2, 4, 4, 5]',
  ],
  [
    'x without pixels',
    call(undefined, [1, 2, 0, 4, 3]),
    'x must have at least one sequence, one time step and one pixel, got [1, 2, 0, 4, 3] (height is empty)',
  ],
  [
    "W of rank 2 (a matrix layer's)",
    call((d) => ({...d, inputWeights: {weights: tf.zeros([4, 3])}})),
    `descriptor.inputWeights.weights must be rank 4 ${W_DIMS} (OHWI) = [4, kernelHeight, kernelWidth, 3], ` +
      'got rank 2 with shape [4, 3]',
  ],
  [
    'W with the wrong input channels',
    call((d) => ({...d, inputWeights: {weights: tf.zeros([4, 3, 3, 5])}})),
    `descriptor.inputWeights.weights must be ${W_DIMS} = [4, kernelHeight, kernelWidth, 3], got [4, 3, 3, 5]`,
  ],
  [
    'W in Keras layout [kH, kW, in, out]',
    call((d) => ({...d, inputWeights: {weights: tf.zeros([3, 3, 3, 4])}})),
    `descriptor.inputWeights.weights must be ${W_DIMS} = [4, kernelHeight, kernelWidth, 3], got [3, 3, 3, 4]`,
  ],
  [
    'U of rank 3',
    call((d) => ({...d, recurrentWeights: {weights: tf.zeros([4, 3, 4])}})),
    `descriptor.recurrentWeights.weights must be rank 4 ${U_DIMS} (OHWI) = [4, kernelHeight, kernelWidth, 4], ` +
      'got rank 3 with shape [4, 3, 4]',
  ],
  [
    'U not square in channels',
    call((d) => ({...d, recurrentWeights: {weights: tf.zeros([4, 3, 3, 3])}})),
    `descriptor.recurrentWeights.weights must be ${U_DIMS} (square in channels) = [4, kernelHeight, ` +
      'kernelWidth, 4], got [4, 3, 3, 3]',
  ],
  [
    'an initial state of the wrong height',
    call(undefined, undefined, () => ({initialState: tf.zeros([1, 3, 4, 4])})),
    'options.initialState must be [batch, height, width, outputFeatureChannels] = [1, 4, 4, 4], got [1, 3, 4, 4]',
  ],
  [
    'an initial state of a matrix layer',
    call(undefined, undefined, () => ({initialState: tf.zeros([1, 4])})),
    'options.initialState must be [batch, height, width, outputFeatureChannels] = [1, 4, 4, 4], got [1, 4]',
  ],
  [
    'padding misspelt',
    call((d) => ({...d, padding: 'smae'})),
    "descriptor.padding must be 'mps' (an even kernel's extra row and column at the top and left, as MPS) " +
      "or 'same' (at the bottom and right, as tfjs), got \"smae\" (did you mean 'same'?)",
  ],
  [
    "padding 'valid' (the size is always kept)",
    call((d) => ({...d, padding: 'valid'})),
    "descriptor.padding must be 'mps' (an even kernel's extra row and column at the top and left, as MPS) " +
      'or \'same\' (at the bottom and right, as tfjs), got "valid"',
  ],
  [
    'the padding key misspelt',
    call((d) => ({...d, paddng: 'same'})),
    "descriptor has an unknown key 'paddng' (did you mean 'padding'?); its keys are 'inputFeatureChannels', " +
      "'outputFeatureChannels', 'useLayerInputUnitTransformMode', 'useFloat32Weights', 'layerSequenceDirection', " +
      "'inputWeights', 'recurrentWeights', 'padding'",
  ],
  [
    'W taller than any of its rows can reach',
    call((d) => ({...d, inputWeights: {weights: tf.zeros([4, 9, 3, 3])}})),
    'descriptor.inputWeights.weights is [4, 9, 3, 3]: a kernel height of 9 on images of height 4 has weights ' +
      'that never meet the image (with the size kept, at most 2·height − 1 = 7 reach it)',
  ],
  [
    'U wider than any of its columns can reach',
    call((d) => ({...d, recurrentWeights: {weights: tf.zeros([4, 3, 8, 4])}})),
    'descriptor.recurrentWeights.weights is [4, 3, 8, 4]: a kernel width of 8 on images of width 4 has weights ' +
      'that never meet the image (with the size kept, at most 2·width − 1 = 7 reach it)',
  ],
  [
    'unit-transform mode with unequal channels',
    call((d) => ({...d, useLayerInputUnitTransformMode: true})),
    'descriptor.useLayerInputUnitTransformMode replaces W x by x, so inputFeatureChannels must equal ' +
      'outputFeatureChannels; got 3 and 4',
  ],
  [
    'an input weights source without weights',
    call((d) => ({...d, inputWeights: {weights: null}})),
    `descriptor.inputWeights.weights is required (W, ${W_DIMS}); set descriptor.inputWeights to null for ` +
      'W = 0, b = 0 and the identity neuron',
  ],
  [
    'a stack whose layers do not chain',
    () => {
      const layer = (i: number, o: number): SingleGateConvRNNDescriptor => ({
        inputFeatureChannels: i,
        outputFeatureChannels: o,
        inputWeights: {weights: tf.zeros([o, 1, 1, i])},
      });
      return singleGateConvRNN(tf.zeros<tf.Rank.R5>([1, 2, 4, 4, 3]), [layer(3, 4), layer(3, 2)]);
    },
    "descriptors[1].inputFeatureChannels must equal descriptors[0].outputFeatureChannels = 4 (layer 1 takes layer 0's output), got 3",
  ],
  [
    "a stack's initial state of the wrong width",
    () => {
      const layer: SingleGateConvRNNDescriptor = {inputFeatureChannels: 3, outputFeatureChannels: 4};
      return singleGateConvRNN(tf.zeros<tf.Rank.R5>([1, 2, 4, 4, 3]), [layer], {
        initialState: [tf.zeros<tf.Rank.R4>([1, 4, 5, 4])],
      });
    },
    'options.initialState[0] must be [batch, height, width, descriptors[0].outputFeatureChannels] = ' +
      '[1, 4, 4, 4], got [1, 4, 5, 4]',
  ],
  [
    'an empty stack',
    () => singleGateConvRNN(tf.zeros<tf.Rank.R5>([1, 2, 4, 4, 3]), []),
    'descriptors must hold at least one SingleGateConvRNNDescriptor (layer 0 first), got []',
  ],
  [
    'a bidirectional call on rank-3 x',
    () =>
      singleGateConvRNNBidirectional(tf.zeros([1, 2, 3]) as unknown as tf.Tensor5D, [
        {inputFeatureChannels: 3, outputFeatureChannels: 4},
        {inputFeatureChannels: 3, outputFeatureChannels: 4, layerSequenceDirection: 'backward'},
      ]),
    'x must be rank 5 [batch, time, height, width, inputFeatureChannels] for a bidirectional call, got rank 3 ' +
      'with shape [1, 2, 3]',
  ],
];

describeAllBackends(
  'singleGateConvRNN bad inputs',
  () => {
    for (const [name, f, message] of CASES) {
      it(`${name}: says so, leaving no tensor behind`, async () => {
        await expectNoLeaks(() => expect(messageOf(f)).to.equal(message));
      });
    }

    it('a kernel larger than the image whose weights all reach it runs (5x5 on 3x3; 4x4 even)', async () => {
      await expectNoLeaks(() => {
        const run = call(
          (d) => ({
            ...d,
            inputWeights: {weights: tf.ones([4, 5, 5, 3])},
            recurrentWeights: {weights: tf.ones([4, 4, 4, 4])},
          }),
          [1, 2, 3, 3, 3],
        );
        const output = tf.tidy(() => (run() as {output: tf.Tensor5D}).output);
        expect(output.shape).to.deep.equal([1, 2, 3, 3, 4]);
        output.dispose();
      });
    });

    it('in unit-transform mode W is not read, so its size is not checked against the image', () => {
      const run = () =>
        singleGateConvRNN(tf.ones<tf.Rank.R5>([1, 2, 2, 2, 4]), {
          inputFeatureChannels: 4,
          outputFeatureChannels: 4,
          useLayerInputUnitTransformMode: true,
          inputWeights: {weights: tf.zeros([4, 9, 9, 4])},
        }).output;
      const output = tf.tidy(run);
      expect(output.shape).to.deep.equal([1, 2, 2, 2, 4]);
      output.dispose();
    });

    it('tf.grad through the op names SingleGateConvRNN and says it is an inference op', () => {
      const f = (x: tf.Tensor) =>
        tf.sum(
          singleGateConvRNN(x as tf.Tensor5D, {
            inputFeatureChannels: 2,
            outputFeatureChannels: 2,
            inputWeights: {weights: tf.ones([2, 3, 3, 2]), neuron: {type: 'tanh'}},
          }).output,
        );
      expect(messageOf(() => tf.grad(f)(tf.ones([1, 2, 3, 3, 2])))).to.equal(
        'SingleGateConvRNN is an inference op and has no gradient; train the SingleGateConvRNN2D layer ' +
          'instead (model.fit runs it through stock tfjs ops, which have gradients; see docs/training.md)',
      );
    });
  },
  everyBackend,
);
