/**
 * An infinite weight meets the zero padding: a tap that falls outside the image adds nothing (the
 * reference skips it, the webgpu kernel selects), so it must never become 0 × Inf = NaN. x = 1, an
 * initial state of 0.5 and a sigmoid keep every in-image value positive, so every in-image product is
 * ±Inf or finite and the expected outputs hold no NaN at all.
 * Every backend: the kernels where registered, the portable path (wasm, webgl, cpu-portable) elsewhere.
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateConvRNN} from 'tfjs-single-gate-rnn';

import {ConvDims, referenceConvLayer} from './reference/conv_reference.js';
import {describeAllBackends, everyBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {convDescriptorOf, imagesTensor, makeConvLayer, stateTensor} from './util/conv_problem.js';
import {Random} from './util/random.js';
import {readAll} from './util/stack_problem.js';

const DIMS: ConvDims = {batch: 1, time: 2, height: 3, width: 3};
const SIGMOID = {type: 'sigmoid', a: 0, b: 0, c: 0};

interface InfinityCase {
  /** Which kernel holds the infinite tap. */
  where: 'W' | 'U';
  kernel: [number, number];
  padding: 'mps' | 'same';
  /** The tap [row, column] and its value. */
  tap: [number, number];
  value: number;
}

const CASES: InfinityCase[] = (['W', 'U'] as const).flatMap((where) =>
  (
    [
      [3, 3],
      [2, 2],
    ] as Array<[number, number]>
  ).flatMap((kernel) =>
    (['mps', 'same'] as const).flatMap((padding) =>
      [
        {tap: [0, 0] as [number, number], value: Infinity},
        // -Inf in U would make a state 0 (sigmoid(-Inf)) that the next step multiplies by -Inf: a
        // NaN the reference has too. Both corners of U hold +Inf instead.
        {
          tap: [kernel[0] - 1, kernel[1] - 1] as [number, number],
          value: where === 'W' ? -Infinity : Infinity,
        },
      ].map(({tap, value}) => ({where, kernel, padding, tap, value})),
    ),
  ),
);

describeAllBackends(
  'conv: infinite weights at the zero padding',
  ({tolerance}) => {
    for (const c of CASES) {
      it(`${c.where} ${c.kernel.join('x')}, padding '${c.padding}', ${c.value} at tap [${c.tap.join(', ')}]`, async () => {
        const layer = makeConvLayer(new Random(3), {
          inputChannels: 2,
          outputChannels: 2,
          wKernel: c.where === 'W' ? c.kernel : [3, 3],
          uKernel: c.where === 'U' ? c.kernel : [3, 3],
          neuron: SIGMOID,
          padding: c.padding,
        });
        const target = (c.where === 'W' ? layer.w : layer.u) as Float32Array;
        const channels = c.where === 'W' ? layer.inputChannels : layer.outputChannels;
        // Output channel 0, input channel 0 of the tap (OHWI).
        target[(c.tap[0] * c.kernel[1] + c.tap[1]) * channels] = c.value;
        const x = new Float32Array(DIMS.batch * DIMS.time * DIMS.height * DIMS.width * 2).fill(1);
        const initial = new Float32Array(DIMS.batch * DIMS.height * DIMS.width * 2).fill(0.5);
        const got = await readAll(
          tf.tidy(() =>
            singleGateConvRNN(imagesTensor(x, DIMS, 2), convDescriptorOf(layer), {
              initialState: stateTensor(initial, DIMS, 2),
            }),
          ),
        );
        const expected = referenceConvLayer(layer, x, DIMS, initial);
        expect(Array.from(expected.output).some(Number.isNaN), 'NaN in the reference').to.equal(false);
        expectArraysClose(got.output.data, expected.output, tolerance, {
          what: 'output',
          shape: got.output.shape,
        });
        expectArraysClose(got.finalState.data, expected.finalState, tolerance, {what: 'final state'});
      });
    }
  },
  everyBackend,
);
