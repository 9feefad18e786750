/**
 * The image variant against `tf.conv2d` composed per step (conv2d, add, tanh) on the cpu backend, with
 * Keras-layout kernels converted by `kerasConvKernelToOHWI`; and the two paddings of even kernels:
 * 'same' is tfjs' own, 'mps' shifts the window and gives other results.
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {kerasConvKernelToOHWI, ohwiToKerasConvKernel, singleGateConvRNN} from 'tfjs-single-gate-rnn';

import {BackendUnderTest, describeAllBackends, everyBackend, useBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {expectNoLeaks} from './util/memory.js';
import {Random} from './util/random.js';

interface Case {
  batch: number;
  time: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  /** W's and U's [kernelHeight, kernelWidth]. */
  wKernel: [number, number];
  uKernel: [number, number];
}

/** Random x, Keras-layout kernels [kH, kW, in, out] and bias, as plain arrays. */
function makeCase(c: Case, seed: number) {
  const random = new Random(seed);
  const kernel = ([kh, kw]: [number, number], inC: number) =>
    random.floats(kh * kw * inC * c.outChannels, -1 / Math.sqrt(kh * kw * inC), 1 / Math.sqrt(kh * kw * inC));
  return {
    x: random.floats(c.batch * c.time * c.height * c.width * c.inChannels),
    w: kernel(c.wKernel, c.inChannels),
    u: kernel(c.uKernel, c.outChannels),
    bias: random.floats(c.outChannels, -0.5, 0.5),
  };
}

/** h_t = tanh(conv2d(x_t, W, 'same') + conv2d(h_{t-1}, U, 'same') + b), step by step on the cpu backend. */
async function composedOnCpu(c: Case, data: ReturnType<typeof makeCase>, backend: BackendUnderTest) {
  await useBackend('cpu');
  try {
    const output = tf.tidy(() => {
      const x = tf.tensor5d(data.x, [c.batch, c.time, c.height, c.width, c.inChannels]);
      const w = tf.tensor4d(data.w, [...c.wKernel, c.inChannels, c.outChannels]);
      const u = tf.tensor4d(data.u, [...c.uKernel, c.outChannels, c.outChannels]);
      let h = tf.zeros<tf.Rank.R4>([c.batch, c.height, c.width, c.outChannels]);
      const states: tf.Tensor4D[] = [];
      for (const xt of tf.unstack(x, 1) as tf.Tensor4D[]) {
        h = tf.tanh(
          tf.add<tf.Tensor4D>(tf.add(tf.conv2d(xt, w, 1, 'same'), tf.conv2d(h, u, 1, 'same')), data.bias),
        );
        states.push(h);
      }
      return tf.stack(states, 1);
    });
    const values = await output.data();
    output.dispose();
    return values;
  } finally {
    await useBackend(backend.name);
  }
}

/** The op with the same weights (converted to OHWI) and `padding`. */
function runOp(c: Case, data: ReturnType<typeof makeCase>, padding: 'mps' | 'same'): tf.Tensor5D {
  return tf.tidy(
    () =>
      singleGateConvRNN(tf.tensor5d(data.x, [c.batch, c.time, c.height, c.width, c.inChannels]), {
        inputFeatureChannels: c.inChannels,
        outputFeatureChannels: c.outChannels,
        useFloat32Weights: true,
        padding,
        inputWeights: {
          weights: kerasConvKernelToOHWI(tf.tensor4d(data.w, [...c.wKernel, c.inChannels, c.outChannels])),
          biasTerms: data.bias,
          neuron: {type: 'tanh'},
        },
        recurrentWeights: {
          weights: kerasConvKernelToOHWI(tf.tensor4d(data.u, [...c.uKernel, c.outChannels, c.outChannels])),
        },
      }).output,
  );
}

describeAllBackends(
  'singleGateConvRNN against tf.conv2d composed per step',
  (backend) => {
    const odd: Array<[string, Case]> = [
      [
        '3x3 kernels',
        {
          batch: 2,
          time: 4,
          height: 6,
          width: 5,
          inChannels: 3,
          outChannels: 4,
          wKernel: [3, 3],
          uKernel: [3, 3],
        },
      ],
      [
        'W 5x5, U 1x1',
        {
          batch: 1,
          time: 3,
          height: 7,
          width: 6,
          inChannels: 2,
          outChannels: 3,
          wKernel: [5, 5],
          uKernel: [1, 1],
        },
      ],
      [
        'W 1x3, U 3x5',
        {
          batch: 2,
          time: 3,
          height: 5,
          width: 6,
          inChannels: 4,
          outChannels: 2,
          wKernel: [1, 3],
          uKernel: [3, 5],
        },
      ],
    ];
    for (const [name, c] of odd) {
      for (const padding of ['mps', 'same'] as const) {
        it(`${name} (odd: both paddings centre them), padding '${padding}'`, async () => {
          const data = makeCase(c, 61);
          const expected = await composedOnCpu(c, data, backend);
          await expectNoLeaks(async () => {
            const output = runOp(c, data, padding);
            expectArraysClose(await output.data(), expected, backend.tolerance, {
              what: 'output',
              shape: output.shape,
            });
            output.dispose();
          });
        });
      }
    }

    it("even kernels: 'same' is tf.conv2d's 'same'; 'mps' puts the extra row and column first, and differs", async () => {
      const c: Case = {
        batch: 2,
        time: 3,
        height: 5,
        width: 6,
        inChannels: 3,
        outChannels: 3,
        wKernel: [2, 4],
        uKernel: [4, 2],
      };
      const data = makeCase(c, 62);
      const expected = await composedOnCpu(c, data, backend);
      await expectNoLeaks(async () => {
        const [same, mps] = [runOp(c, data, 'same'), runOp(c, data, 'mps')];
        expectArraysClose(await same.data(), expected, backend.tolerance, {what: "'same' output"});
        const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(same, mps))));
        // Far beyond any rounding: the windows are shifted by a row and a column.
        expect((await difference.data())[0]).to.be.greaterThan(0.1);
        tf.dispose([same, mps, difference]);
      });
    });

    it('ohwiToKerasConvKernel inverts kerasConvKernelToOHWI', async () => {
      await expectNoLeaks(async () => {
        const keras = tf.tensor4d(new Random(63).floats(2 * 3 * 4 * 5), [2, 3, 4, 5]);
        const ohwi = kerasConvKernelToOHWI(keras);
        const back = ohwiToKerasConvKernel(ohwi);
        expect(ohwi.shape).to.deep.equal([5, 2, 3, 4]);
        expect(Array.from(await back.data())).to.deep.equal(Array.from(await keras.data()));
        // OHWI [o][r][s][c] is Keras [r][s][c][o]. (Read asynchronously: a sync read stalls webgpu.)
        const [a, b] = [await ohwi.array(), await keras.array()];
        expect(a[4][1][2][3]).to.equal(b[1][2][3][4]);
        expect(a[0][1][0][2]).to.equal(b[1][0][2][0]);
        tf.dispose([keras, ohwi, back]);
      });
    });
  },
  everyBackend,
);
