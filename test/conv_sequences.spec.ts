/**
 * The image variant's stacks, sequence lengths and bidirectional encoding (the matrix op's code run with
 * the image variant), against the float64 loop over pixels, on every backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateConvRNN, singleGateConvRNNBidirectional} from 'tfjs-single-gate-rnn';

import {ConvDims, referenceConvLayer, referenceConvStack} from './reference/conv_reference.js';
import {describeAllBackends, everyBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {
  ConvLayerConfig,
  convDescriptorOf,
  ConvProblemLayer,
  imagesTensor,
  makeConvLayer,
  randomImages,
  stateTensor,
} from './util/conv_problem.js';
import {expectNoLeaks} from './util/memory.js';
import {Random} from './util/random.js';
import {readAll} from './util/stack_problem.js';

const DIMS: ConvDims = {batch: 3, time: 4, height: 4, width: 5};

/** Layers chained from `inputChannels`, each config's channels filled in. */
function makeLayers(
  random: Random,
  inputChannels: number,
  configs: Array<Omit<ConvLayerConfig, 'inputChannels'>>,
): ConvProblemLayer[] {
  let channels = inputChannels;
  return configs.map((config) => {
    const layer = makeConvLayer(random, {...config, inputChannels: channels});
    channels = config.outputChannels;
    return layer;
  });
}

const stateSize = (dims: ConvDims, channels: number): number =>
  dims.batch * dims.height * dims.width * channels;

describeAllBackends(
  'singleGateConvRNN stacks, sequence lengths and bidirectional encoding',
  ({tolerance}) => {
    const STACK = [
      {outputChannels: 4, wKernel: [3, 3], uKernel: [1, 1]},
      {outputChannels: 3, wKernel: [2, 2], uKernel: [3, 3], backward: true, padding: 'same'},
      {outputChannels: 2, wKernel: [1, 1], uKernel: [2, 2]},
    ] satisfies Array<Omit<ConvLayerConfig, 'inputChannels'>>;

    for (const lengths of [null, [2, 0, 4]]) {
      it(`a 3-layer stack from given initial states matches the reference${lengths ? ', with sequence lengths' : ''}`, async () => {
        const random = new Random(51);
        const layers = makeLayers(random, 2, STACK);
        const x = randomImages(random, DIMS, 2);
        const initial = layers.map((layer) => random.floats(stateSize(DIMS, layer.outputChannels)));
        const got = await expectNoLeaks(() =>
          readAll(
            tf.tidy(() =>
              singleGateConvRNN(imagesTensor(x, DIMS, 2), layers.map(convDescriptorOf), {
                initialState: layers.map((layer, k) => stateTensor(initial[k], DIMS, layer.outputChannels)),
                sequenceLengths: lengths,
                storeAllIntermediateStates: true,
              }),
            ),
          ),
        );
        const expected = referenceConvStack(layers, x, DIMS, initial, lengths);
        const {batch, time, height, width} = DIMS;
        expect(got.output.shape).to.deep.equal([batch, time, height, width, 2]);
        expectArraysClose(got.output.data, expected.output, tolerance, {
          what: 'output',
          shape: got.output.shape,
        });
        layers.forEach((layer, k) => {
          expect(got.finalStates[k].shape).to.deep.equal([batch, height, width, layer.outputChannels]);
          expectArraysClose(got.finalStates[k].data, expected.finalStates[k], tolerance, {
            what: `final state of layer ${k}`,
          });
          expectArraysClose(got.intermediateStates![k].data, expected.states[k], tolerance, {
            what: `intermediate states of layer ${k}`,
          });
        });
        expect(Array.from(got.finalState.data)).to.deep.equal(Array.from(got.finalStates[2].data));
      });
    }

    it('a stack equals chaining single-layer calls', async () => {
      const random = new Random(52);
      const layers = makeLayers(random, 2, STACK);
      const x = randomImages(random, DIMS, 2);
      await expectNoLeaks(async () => {
        const [stacked, chained] = tf.tidy(() => {
          const descriptors = layers.map(convDescriptorOf);
          const stack = singleGateConvRNN(imagesTensor(x, DIMS, 2), descriptors);
          let input = imagesTensor(x, DIMS, 2);
          for (const descriptor of descriptors) input = singleGateConvRNN(input, descriptor).output;
          return [stack.output, input];
        });
        const [a, b] = [await stacked.data(), await chained.data()];
        tf.dispose([stacked, chained]);
        expectArraysClose(a, b, tolerance, {what: 'output'});
      });
    });

    for (const backward of [false, true]) {
      it(`sequence lengths and a mask together, one layer ${backward ? 'backward' : 'forward'}`, async () => {
        const random = new Random(53);
        const layer = makeConvLayer(random, {
          inputChannels: 3,
          outputChannels: 2,
          wKernel: [3, 3],
          uKernel: [3, 3],
          backward,
        });
        const x = randomImages(random, DIMS, 3);
        const lengths = [3, 0, 4];
        const mask = [1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1];
        const got = await expectNoLeaks(() =>
          readAll(
            tf.tidy(() =>
              singleGateConvRNN(imagesTensor(x, DIMS, 3), convDescriptorOf(layer), {
                sequenceLengths: tf.tensor1d(lengths, 'int32'),
                mask: tf.tensor2d(mask, [DIMS.batch, DIMS.time], 'bool'),
                storeAllIntermediateStates: true,
              }),
            ),
          ),
        );
        const expected = referenceConvLayer(layer, x, DIMS, null, lengths, mask);
        expectArraysClose(got.output.data, expected.output, tolerance, {
          what: 'output',
          shape: got.output.shape,
        });
        expectArraysClose(got.finalState.data, expected.finalState, tolerance, {what: 'final state'});
        expectArraysClose(got.intermediateStates!.data, expected.states, tolerance, {
          what: 'intermediate states',
        });
      });
    }

    it("bidirectional 'none' matches each direction's reference; 'add' and 'concatenate' combine them", async () => {
      const random = new Random(54);
      // Interleaved: forward, backward, forward, backward; each stack chains its own from x.
      const forward = makeLayers(random, 3, [
        {outputChannels: 4, wKernel: [3, 3], uKernel: [3, 3]},
        {outputChannels: 2, wKernel: [1, 1], uKernel: [2, 2]},
      ]);
      const backward = makeLayers(random, 3, [
        {outputChannels: 3, wKernel: [2, 2], uKernel: [1, 1], backward: true},
        {outputChannels: 2, wKernel: [3, 3], uKernel: [3, 3], backward: true},
      ]);
      const all = [forward[0], backward[0], forward[1], backward[1]];
      const x = randomImages(random, DIMS, 3);
      const lengths = [4, 1, 3];
      const got = await expectNoLeaks(() =>
        readAll(
          tf.tidy(() => {
            const run = (mode: 'none' | 'add' | 'concatenate') =>
              singleGateConvRNNBidirectional(imagesTensor(x, DIMS, 3), all.map(convDescriptorOf), {
                bidirectionalCombineMode: mode,
                sequenceLengths: lengths,
              });
            const none = run('none') as {outputForward: tf.Tensor5D; outputBackward: tf.Tensor5D};
            const added = run('add') as {output: tf.Tensor5D};
            const joined = run('concatenate') as {output: tf.Tensor5D};
            return {
              none,
              add: added.output,
              concatenate: joined.output,
              expectedAdd: tf.add(none.outputForward, none.outputBackward),
              expectedConcatenate: tf.concat([none.outputForward, none.outputBackward], 4),
            };
          }),
        ),
      );
      const expectedForward = referenceConvStack(forward, x, DIMS, null, lengths);
      const expectedBackward = referenceConvStack(backward, x, DIMS, null, lengths);
      expectArraysClose(got.none.outputForward.data, expectedForward.output, tolerance, {
        what: 'forward output',
      });
      expectArraysClose(got.none.outputBackward.data, expectedBackward.output, tolerance, {
        what: 'backward output',
      });
      const {batch, time, height, width} = DIMS;
      expect(got.concatenate.shape).to.deep.equal([batch, time, height, width, 4]);
      expect(Array.from(got.add.data)).to.deep.equal(Array.from(got.expectedAdd.data));
      expect(Array.from(got.concatenate.data)).to.deep.equal(Array.from(got.expectedConcatenate.data));
    });
  },
  everyBackend,
);
