/**
 * A call whose output cannot fit the wasm heap is refused before anything is written: tfjs-backend-wasm
 * hands malloc a 32-bit byte count, so a 4 GiB output became a 0-byte allocation and the kernel wrote
 * over other live tensors (5 became 7), after which every wasm op trapped.
 *
 * Run on wasm, whose heap is the subject, and on webgpu, which refuses the same calls by its buffer
 * limits before allocating. Left out: cpu, webgl and the portable path, which hold no such limit and
 * would really try to allocate 4 GiB or more of the browser's memory.
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNN} from 'tfjs-single-gate-rnn';

import {backendsWithKernel, describeAllBackends} from './util/backends.js';

const HEAP_BOUND = ['wasm', 'webgpu'];

describeAllBackends(
  'outputs larger than the heap or the device allows',
  ({name}) => {
    const cases: Array<[string, [number, number, number], boolean]> = [
      ['[1, 1024, 2^20] (4 GiB) with a mask of zeros and an initial state', [1, 1024, 2 ** 20], true],
      ['[300, 100, 1e5] (12 GB)', [300, 100, 1e5], false],
    ];
    for (const [title, [batch, time, units], withState] of cases) {
      it(`${title}: refused, and other tensors keep their values`, async () => {
        const canary = tf.tensor1d([5, 5, 5, 5]);
        let message = 'the call returned';
        tf.tidy(() => {
          try {
            singleGateRNN(
              tf.zeros([batch, time, 1]),
              {inputFeatureChannels: 1, outputFeatureChannels: units},
              {
                mask: tf.zeros([batch, time], 'bool'),
                initialState: withState ? tf.ones([batch, units]) : null,
              },
            );
          } catch (e) {
            message = (e as Error).message;
          }
        });
        const bytes = batch * time * units * 4;
        expect(message).to.match(
          new RegExp(
            `^SingleGateRNN on ${name}: output \\[${batch}, ${time}, ${units}\\] takes ${bytes} bytes, more than .*; run the batch in parts`,
          ),
        );
        expect(Array.from(await canary.data())).to.deep.equal([5, 5, 5, 5]);
        // A later small call still runs and gives the right answer: h = x with no weights.
        const later = singleGateRNN(tf.fill([1, 2, 3], 0.5), {
          inputFeatureChannels: 3,
          outputFeatureChannels: 3,
          useLayerInputUnitTransformMode: true,
        });
        expect(Array.from(await later.output.data())).to.deep.equal([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
        tf.dispose([canary, later.output, later.finalState]);
      });
    }
  },
  () => backendsWithKernel().filter((b) => HEAP_BOUND.includes(b.name)),
);
