/** Bad stacks, bidirectional calls, per-layer states and sequence lengths, with their messages. */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {
  SequenceDirection,
  singleGateRNN,
  singleGateRNNBidirectional,
  SingleGateRNNDescriptor,
} from 'tfjs-single-gate-rnn';

import {messageOf} from './message_of.js';
import {describeAllBackends} from './util/backends.js';
import {expectNoLeaks} from './util/memory.js';

function layer(
  input: number,
  output: number,
  direction: SequenceDirection = 'forward',
): SingleGateRNNDescriptor {
  return {
    inputFeatureChannels: input,
    outputFeatureChannels: output,
    layerSequenceDirection: direction,
    inputWeights: {weights: tf.zeros([output, input]), neuron: {type: 'tanh'}},
    recurrentWeights: {weights: tf.zeros([output, output])},
  };
}

describeAllBackends('sequence errors', () => {
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());
  const x = (): tf.Tensor3D => tf.zeros([2, 5, 3]);
  const stack = (): SingleGateRNNDescriptor[] => [layer(3, 4), layer(4, 6, 'backward')];

  const cases: Array<[string, () => unknown, string]> = [
    [
      'channel counts that do not chain',
      () => singleGateRNN(x(), [layer(3, 4), layer(4, 6), layer(5, 2)]),
      "descriptors[2].inputFeatureChannels must equal descriptors[1].outputFeatureChannels = 6 (layer 2 takes layer 1's output), got 5",
    ],
    [
      "a first layer that does not take x's channels",
      () => singleGateRNN(x(), [layer(2, 4)]),
      'x must be [batch, time, inputFeatureChannels] with inputFeatureChannels = descriptors[0].inputFeatureChannels = 2, got [2, 5, 3]',
    ],
    [
      "a step whose channels are not the layer's",
      () => singleGateRNN(tf.zeros<tf.Rank.R2>([2, 5]), layer(3, 4)),
      'x must be [batch, inputFeatureChannels] with inputFeatureChannels = 3, got [2, 5]',
    ],
    [
      'an empty array of descriptors',
      () => singleGateRNN(x(), []),
      'descriptors must hold at least one SingleGateRNNDescriptor (layer 0 first), got []',
    ],
    [
      'a bad descriptor in a stack is named by its index',
      () => singleGateRNN(x(), [layer(3, 4), {...layer(4, 4), outputFeatureChannels: 0}]),
      'descriptors[1].outputFeatureChannels must be an integer >= 1, got 0',
    ],
    [
      "a stack layer's weights of the wrong shape are named by its index",
      () =>
        singleGateRNN(x(), [
          layer(3, 4),
          {...layer(4, 6), recurrentWeights: {weights: tf.zeros<tf.Rank.R2>([6, 5])}},
        ]),
      'descriptors[1].recurrentWeights.weights must be square [outputFeatureChannels, outputFeatureChannels] = [6, 6], got [6, 5]',
    ],
    [
      'per-layer states of the wrong count',
      () => singleGateRNN(x(), stack(), {initialState: [null]}),
      'options.initialState must have one state per layer (2), got 1 entries',
    ],
    [
      'a per-layer state of the wrong shape',
      () => singleGateRNN(x(), stack(), {initialState: [null, tf.zeros([2, 4])]}),
      'options.initialState[1] must be [batch, descriptors[1].outputFeatureChannels] = [2, 6], got [2, 4]',
    ],
    [
      'one initial state for a stack of two',
      () => singleGateRNN(x(), stack(), {initialState: tf.zeros<tf.Rank.R2>([2, 4])}),
      'options.initialState must be an array with one state per layer (2 layers), got one tensor',
    ],
    [
      'lengths longer than time',
      () => singleGateRNN(x(), layer(3, 4), {sequenceLengths: [5, 6]}),
      'options.sequenceLengths[1] must be an integer from 0 to time = 5, got 6',
    ],
    [
      'a negative length',
      () => singleGateRNN(x(), stack(), {sequenceLengths: [-1, 2]}),
      'options.sequenceLengths[0] must be an integer from 0 to time = 5, got -1',
    ],
    [
      'a fractional length',
      () => singleGateRNN(x(), layer(3, 4), {sequenceLengths: [2, 2.5]}),
      'options.sequenceLengths[1] must be an integer from 0 to time = 5, got 2.5',
    ],
    [
      'lengths of the wrong batch size',
      () => singleGateRNN(x(), layer(3, 4), {sequenceLengths: [1, 2, 3]}),
      'options.sequenceLengths must be [batch] = [2], got [3]',
    ],
    [
      'lengths of a bool tensor',
      () => singleGateRNN(x(), layer(3, 4), {sequenceLengths: tf.tensor1d([true, false], 'bool')}),
      'options.sequenceLengths must hold int32 or float32 numbers, got dtype bool',
    ],
    [
      'x of rank 1',
      () => singleGateRNN(tf.zeros([3]) as unknown as tf.Tensor2D, stack()),
      'x must be rank 3 [batch, time, inputFeatureChannels] or rank 2 [batch, inputFeatureChannels] (one step), got rank 1 with shape [3]',
    ],
    [
      'a bidirectional call with no backward layer',
      () => singleGateRNNBidirectional(x(), [layer(3, 4), layer(4, 4)]),
      "descriptors must hold at least one layer with layerSequenceDirection 'backward' (the backward stack), got only forward layers",
    ],
    [
      'a bidirectional call with no forward layer',
      () => singleGateRNNBidirectional(x(), [layer(3, 4, 'backward')]),
      "descriptors must hold at least one layer with layerSequenceDirection 'forward' (the forward stack), got only backward layers",
    ],
    [
      'a bidirectional call with no layer',
      () => singleGateRNNBidirectional(x(), []),
      "descriptors must hold at least one layer with layerSequenceDirection 'forward' (the forward stack), got an empty array",
    ],
    [
      'a bidirectional stack whose channels do not chain within a direction',
      () => singleGateRNNBidirectional(x(), [layer(3, 4), layer(3, 5, 'backward'), layer(5, 2)]),
      "descriptors[2].inputFeatureChannels must equal descriptors[0].outputFeatureChannels = 4 (the forward stack's layer 1 takes the forward stack's layer 0's output), got 5",
    ],
    [
      "'add' with different unit counts",
      () =>
        singleGateRNNBidirectional(x(), [layer(3, 4), layer(3, 5, 'backward')], {
          bidirectionalCombineMode: 'add',
        }),
      "options.bidirectionalCombineMode 'add' needs the last forward and backward layers to have the same outputFeatureChannels, got 4 (descriptors[0]) and 5 (descriptors[1])",
    ],
    [
      'an unknown combine mode',
      () =>
        singleGateRNNBidirectional(x(), [layer(3, 4), layer(3, 4, 'backward')], {
          bidirectionalCombineMode: 'sum' as 'add',
        }),
      "options.bidirectionalCombineMode must be 'none', 'add' or 'concatenate', got \"sum\"",
    ],
    [
      'bidirectional per-layer states of the wrong count',
      () =>
        singleGateRNNBidirectional(x(), [layer(3, 4), layer(3, 4, 'backward')], {
          initialStates: {backward: [null, null]},
        }),
      'options.initialStates.backward must have one state per layer (1), got 2 entries',
    ],
    [
      'a bidirectional state of the wrong shape',
      () =>
        singleGateRNNBidirectional(x(), [layer(3, 4), layer(3, 6, 'backward')], {
          initialStates: {forward: [tf.zeros([2, 6])]},
        }),
      'options.initialStates.forward[0] must be [batch, descriptors[0].outputFeatureChannels] = [2, 4], got [2, 6]',
    ],
    [
      'a bidirectional step',
      () =>
        singleGateRNNBidirectional(tf.zeros([2, 3]) as unknown as tf.Tensor3D, [
          layer(3, 4),
          layer(3, 4, 'backward'),
        ]),
      'x must be rank 3 [batch, time, inputFeatureChannels] for a bidirectional call, got rank 2 with shape [2, 3]',
    ],
  ];
  for (const [name, call, message] of cases) {
    it(name, async () => {
      const got = await expectNoLeaks(() => messageOf(call));
      expect(got).to.equal(message);
    });
  }

  // A tensor of lengths on a GPU backend is not read at the call (src/sequence/lengths.ts): its values are
  // checked when a result is first read, and that read fails with the same message. (Read with data():
  // the webgpu backend's dataSync goes through a canvas that reads zeros in headless Chromium.)
  it('bad lengths in a tensor: the message at the call (host backends) or at the first read', async () => {
    const message = 'options.sequenceLengths[1] must be an integer from 0 to time = 5, got 2.5';
    const [input, descriptors, lengths] = [x(), stack(), tf.tensor1d([2, 2.5])];
    const got = await expectNoLeaks(async () => {
      let result: {output: tf.Tensor; finalStates: tf.Tensor[]};
      try {
        result = singleGateRNN(input, descriptors, {sequenceLengths: lengths});
      } catch (e) {
        return {at: 'call', message: (e as Error).message};
      }
      try {
        await result.output.data();
        return {at: 'nowhere', message: ''};
      } catch (e) {
        return {at: 'read', message: (e as Error).message};
      } finally {
        tf.dispose(result);
      }
    });
    expect(got.message).to.equal(message);
    // cpu and wasm keep tensors in host memory, where reading the lengths costs nothing.
    expect(got.at).to.equal(['cpu', 'wasm'].includes(tf.getBackend()) ? 'call' : 'read');
  });

  it('an unknown key in the options or in initialStates', () => {
    expect(messageOf(() => singleGateRNN(x(), stack(), {sequenceLength: [1, 2]} as object))).to.contain(
      "(did you mean 'sequenceLengths'?)",
    );
    expect(
      messageOf(() =>
        singleGateRNNBidirectional(x(), [layer(3, 4), layer(3, 4, 'backward')], {
          initialStates: {forwards: []} as object,
        }),
      ),
    ).to.contain("(did you mean 'forward'?)");
  });
});
