/**
 * The image variant (`singleGateConvRNN`) against an independent float64 loop over pixels
 * (test/reference/conv_reference.ts), on every backend: through the kernel where one is registered, the
 * portable path elsewhere. Kernel sizes, paddings, neurons and every descriptor feature.
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateConvRNN} from 'tfjs-single-gate-rnn';

import {ConvDims, referenceConvLayer} from './reference/conv_reference.js';
import {describeAllBackends, everyBackend} from './util/backends.js';
import {expectArraysClose, Tolerance} from './util/close.js';
import {
  ConvLayerConfig,
  convDescriptorOf,
  imagesTensor,
  makeConvLayer,
  randomImages,
  stateTensor,
} from './util/conv_problem.js';
import {expectNoLeaks} from './util/memory.js';
import {NEURONS} from './util/neurons.js';
import {Random} from './util/random.js';
import {readAll} from './util/stack_problem.js';

const DIMS: ConvDims = {batch: 2, time: 4, height: 5, width: 6};

interface ConvCase {
  layer: Omit<ConvLayerConfig, 'inputChannels' | 'outputChannels'> & {
    inputChannels?: number;
    outputChannels?: number;
  };
  dims?: ConvDims;
  initialState?: boolean;
  /** [batch * time] 0/1. */
  mask?: number[];
  seed?: number;
}

/** Runs one case through the op and the reference and compares every output. */
async function checkCase(c: ConvCase, tolerance: Tolerance): Promise<void> {
  const dims = c.dims ?? DIMS;
  const random = new Random(c.seed ?? 7);
  const layer = makeConvLayer(random, {inputChannels: 3, outputChannels: 4, ...c.layer});
  const x = randomImages(random, dims, layer.inputChannels);
  const initial = c.initialState
    ? random.floats(dims.batch * dims.height * dims.width * layer.outputChannels)
    : null;
  const got = await expectNoLeaks(() =>
    readAll(
      tf.tidy(() =>
        singleGateConvRNN(imagesTensor(x, dims, layer.inputChannels), convDescriptorOf(layer), {
          initialState: initial && stateTensor(initial, dims, layer.outputChannels),
          mask: c.mask && tf.tensor2d(c.mask, [dims.batch, dims.time]),
          storeAllIntermediateStates: true,
        }),
      ),
    ),
  );
  const expected = referenceConvLayer(layer, x, dims, initial, null, c.mask ?? null);
  const {batch, time, height, width} = dims;
  const out = layer.outputChannels;
  expect(got.output.shape).to.deep.equal([batch, time, height, width, out]);
  expect(got.finalState.shape).to.deep.equal([batch, height, width, out]);
  expectArraysClose(got.output.data, expected.output, tolerance, {what: 'output', shape: got.output.shape});
  expectArraysClose(got.finalState.data, expected.finalState, tolerance, {
    what: 'final state',
    shape: got.finalState.shape,
  });
  expect(Array.from(got.intermediateStates!.data)).to.deep.equal(Array.from(got.output.data));
}

describeAllBackends(
  'singleGateConvRNN against the float64 loop over pixels',
  ({tolerance}) => {
    const kernels: Array<[[number, number] | null, [number, number] | null]> = [
      [
        [1, 1],
        [1, 1],
      ],
      [
        [3, 3],
        [1, 1],
      ],
      [
        [1, 1],
        [3, 3],
      ],
      [
        [2, 2],
        [3, 3],
      ],
      [
        [5, 5],
        [3, 3],
      ],
      [
        [3, 3],
        [5, 5],
      ],
      [
        [2, 3],
        [3, 2],
      ],
      [
        [5, 1],
        [1, 5],
      ],
    ];
    for (const [wKernel, uKernel] of kernels) {
      it(`W ${wKernel!.join('x')}, U ${uKernel!.join('x')}`, () =>
        checkCase({layer: {wKernel, uKernel}}, tolerance));
    }

    for (const padding of ['mps', 'same'] as const) {
      it(`even kernels (W 4x2, U 2x4) with padding '${padding}'`, () =>
        checkCase({layer: {wKernel: [4, 2], uKernel: [2, 4], padding}}, tolerance));
    }

    for (const [name, neuron] of Object.entries(NEURONS)) {
      it(`neuron ${name}`, () =>
        checkCase(
          {
            layer: {
              wKernel: [3, 3],
              uKernel: [3, 3],
              neuron: neuron.usualForRandomInputs === false ? neuron.custom : neuron.usual,
              weightScale: neuron.weightScale ?? 1,
            },
            dims: {batch: 1, time: 3, height: 4, width: 3},
          },
          tolerance,
        ));
    }

    it('float16 weights (useFloat32Weights false) round W and U as MPS', () =>
      checkCase({layer: {wKernel: [3, 3], uKernel: [2, 2], float16Weights: true}}, tolerance));

    it('backward, from an initial state', () =>
      checkCase({layer: {wKernel: [3, 3], uKernel: [3, 3], backward: true}, initialState: true}, tolerance));

    it('unit-transform mode replaces conv(x, W) by x (W given and ignored)', () =>
      checkCase(
        {layer: {inputChannels: 4, outputChannels: 4, wKernel: [3, 3], uKernel: [3, 3], unitTransform: true}},
        tolerance,
      ));

    it('null input weights: W = 0, b = 0, identity neuron', () =>
      checkCase({layer: {wKernel: null, uKernel: [3, 3]}, initialState: true}, tolerance));

    it('null recurrent weights: U = 0', () =>
      checkCase({layer: {wKernel: [3, 3], uKernel: null}}, tolerance));

    it('no bias terms', () => checkCase({layer: {wKernel: [3, 3], uKernel: [3, 3], bias: false}}, tolerance));

    for (const backward of [false, true]) {
      it(`a mask skips whole images (their state carries over), ${backward ? 'backward' : 'forward'}`, () =>
        checkCase(
          {
            layer: {wKernel: [3, 3], uKernel: [3, 3], backward},
            initialState: true,
            mask: [1, 0, 1, 1, 0, 1, 1, 0],
          },
          tolerance,
        ));
    }

    it('a 1x1 image and a 1-step sequence', () =>
      checkCase(
        {layer: {wKernel: [1, 1], uKernel: [1, 1]}, dims: {batch: 3, time: 1, height: 1, width: 1}},
        tolerance,
      ));

    it('kernels larger than the image, every weight still reaching it (5x5 on 3x4)', () =>
      checkCase(
        {layer: {wKernel: [5, 5], uKernel: [4, 4]}, dims: {batch: 1, time: 3, height: 3, width: 4}},
        tolerance,
      ));
  },
  everyBackend,
);
