/** options.sequenceLengths: rows of different lengths in one batch, in any order. */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNN, singleGateRNNBidirectional} from 'tfjs-single-gate-rnn';

import {referenceCombine, referenceStack} from './reference/sequence_reference.js';
import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {expectNoLeaks} from './util/memory.js';
import {PORTABLE_TEST_BACKEND} from './util/portable_backend.js';
import {withReadsRecorded} from './util/reads.js';
import {
  descriptorsOf,
  initialStatesOf,
  makeStackProblem,
  readAll,
  StackConfig,
  weightTensorsOf,
  xOf,
} from './util/stack_problem.js';

describeAllBackends('sequence lengths', ({tolerance}) => {
  const cases: Array<[string, Omit<StackConfig, 'seed' | 'lengths'>]> = [
    ['one forward layer', {batch: 5, time: 7, inputChannels: 3, units: [4]}],
    ['one backward layer', {batch: 5, time: 7, inputChannels: 3, units: [4], backward: [true]}],
    [
      'a stack forward, backward',
      {batch: 4, time: 6, inputChannels: 3, units: [5, 4], backward: [false, true]},
    ],
  ];
  for (const [name, shape] of cases) {
    for (const initialStates of [false, true]) {
      it(`${name}, ${initialStates ? 'given' : 'zero'} initial states: outputs, final and intermediate states`, async () => {
        // Lengths unsorted, with a 0 (row 1) and a full row (row 2).
        const problem = makeStackProblem({...shape, initialStates, lengths: 'random', seed: 51});
        const {batch, time, units} = problem.config;
        const stacked = units.length > 1;
        const got = await expectNoLeaks(() =>
          readAll(
            tf.tidy(() => {
              const descriptors = descriptorsOf(problem);
              const states = initialStatesOf(problem);
              const options = {sequenceLengths: problem.lengths!, storeAllIntermediateStates: true};
              if (stacked)
                return singleGateRNN(xOf(problem), descriptors, {...options, initialState: states});
              const r = singleGateRNN(xOf(problem), descriptors[0], {...options, initialState: states?.[0]});
              return {...r, finalStates: [r.finalState], intermediateStates: [r.intermediateStates!]};
            }),
          ),
        );
        const expected = referenceStack(
          problem.layers,
          problem.x,
          batch,
          time,
          problem.initialStates,
          problem.lengths,
        );
        const H = units[units.length - 1];
        expectArraysClose(got.output.data, expected.output, tolerance, {
          what: 'output',
          shape: got.output.shape,
        });
        units.forEach((_, k) => {
          expectArraysClose(got.finalStates[k].data, expected.finalStates[k], tolerance, {
            what: `final state ${k}`,
          });
          expectArraysClose(got.intermediateStates![k].data, expected.states[k], tolerance, {
            what: `intermediate states ${k}`,
            shape: [batch, time, units[k]],
          });
        });
        // Past a row's end the output is exactly zero; a row of length 0 keeps its initial state exactly.
        problem.lengths!.forEach((length, n) => {
          const past = got.output.data.slice((n * time + length) * H, (n + 1) * time * H);
          expect(Array.from(past).every((v) => v === 0)).to.equal(true);
        });
        const zeroRow = got.finalStates[0].data.slice(units[0], 2 * units[0]);
        const initial =
          problem.initialStates?.[0].slice(units[0], 2 * units[0]) ?? new Float32Array(units[0]);
        expect(Array.from(zeroRow)).to.deep.equal(Array.from(initial));
      });
    }
  }

  it('a batch with lengths equals each row run alone on its own length', async () => {
    const problem = makeStackProblem({
      batch: 5,
      time: 8,
      inputChannels: 3,
      units: [4, 5],
      backward: [true, false],
      initialStates: true,
      lengths: [3, 8, 1, 6, 5],
      seed: 52,
    });
    const {batch, time, inputChannels, units} = problem.config;
    const H = units[1];
    await expectNoLeaks(async () => {
      const batched = await readAll(
        tf.tidy(() =>
          singleGateRNN(xOf(problem), descriptorsOf(problem), {
            initialState: initialStatesOf(problem),
            sequenceLengths: problem.lengths,
          }),
        ),
      );
      for (let n = 0; n < batch; n++) {
        const length = problem.lengths![n];
        const alone = await readAll(
          tf.tidy(() => {
            const x = tf.slice(xOf(problem), [n, 0, 0], [1, length, inputChannels]);
            const states = initialStatesOf(problem)!.map((s) => tf.slice(s, [n, 0], [1, -1]));
            return singleGateRNN(x, descriptorsOf(problem), {initialState: states});
          }),
        );
        const rowOutput = batched.output.data.slice(n * time * H, (n * time + length) * H);
        expectArraysClose(rowOutput, alone.output.data, tolerance, {what: `row ${n}'s output`});
        units.forEach((h, k) => {
          expectArraysClose(
            batched.finalStates[k].data.slice(n * h, (n + 1) * h),
            alone.finalStates[k].data,
            tolerance,
            {
              what: `row ${n}'s final state ${k}`,
            },
          );
        });
      }
    });
  });

  it('bidirectional with lengths: the backward stack starts each row at its last input', async () => {
    const problem = makeStackProblem({
      batch: 4,
      time: 6,
      inputChannels: 3,
      units: [4, 4],
      backward: [false, true],
      perDirection: true,
      lengths: [2, 0, 6, 4],
      seed: 53,
    });
    const {batch, time} = problem.config;
    const got = await readAll(
      tf.tidy(() =>
        singleGateRNNBidirectional(xOf(problem), descriptorsOf(problem), {
          sequenceLengths: tf.tensor1d(problem.lengths!, 'int32'),
          bidirectionalCombineMode: 'concatenate',
        }),
      ),
    );
    const run = (k: number) =>
      referenceStack([problem.layers[k]], problem.x, batch, time, null, problem.lengths);
    const [forward, backward] = [run(0), run(1)];
    const expected = referenceCombine('concatenate', forward.output, backward.output, batch, time, 4, 4);
    expectArraysClose(got.output.data, expected, tolerance, {what: 'output', shape: got.output.shape});
    expectArraysClose(got.finalStates.backward[0].data, backward.finalStates[0], tolerance, {
      what: 'backward final state',
    });
  });

  it('lengths as an int32 tensor, a float32 tensor or numbers give the same result', async () => {
    const problem = makeStackProblem({
      batch: 3,
      time: 5,
      inputChannels: 2,
      units: [3],
      lengths: [5, 2, 0],
      seed: 54,
    });
    const lengths = problem.lengths!;
    const outputs = await readAll(
      tf.tidy(() => {
        const [descriptor] = descriptorsOf(problem);
        return [
          lengths,
          tf.tensor1d(lengths, 'int32'),
          tf.tensor1d(lengths, 'float32'),
          Int32Array.from(lengths),
        ].map((sequenceLengths) => singleGateRNN(xOf(problem), descriptor, {sequenceLengths}).output);
      }),
    );
    for (const output of outputs.slice(1)) {
      expect(Array.from(output.data)).to.deep.equal(Array.from(outputs[0].data));
    }
  });

  it('lengths and a mask together: a step counts where both allow it', async () => {
    const problem = makeStackProblem({
      batch: 3,
      time: 5,
      inputChannels: 2,
      units: [3],
      lengths: [4, 5, 2],
      seed: 55,
    });
    const {batch, time} = problem.config;
    // Masking steps 1 and 3 of every row, on top of the lengths, equals dropping those inputs.
    const keep = [0, 2, 4];
    const got = await readAll(
      tf.tidy(() => {
        const [descriptor] = descriptorsOf(problem);
        const mask = tf.tensor2d(
          Array.from({length: batch * time}, (_, k) => (keep.includes(k % time) ? 1 : 0)),
          [batch, time],
        );
        const masked = singleGateRNN(xOf(problem), descriptor, {sequenceLengths: problem.lengths, mask});
        const dropped = singleGateRNN(tf.gather(xOf(problem), keep, 1), descriptor, {
          sequenceLengths: problem.lengths!.map((length) => keep.filter((t) => t < length).length),
        });
        return {masked: masked.finalState, dropped: dropped.finalState};
      }),
    );
    expectArraysClose(got.masked.data, got.dropped.data, tolerance, {what: 'final state'});
  });

  it('zeros past each row end come from ops that broadcast, not from a tiled scalar or mask', async () => {
    // tfjs' where tiles smaller operands to the result's shape; on webgpu a small host-side operand (a
    // scalar 0, a mask made from numbers) is tiled on the CPU element by element: 40 ms a call at
    // (32, 200, 128, 128) on an H200, against 3 ms without. The result's shape must come from ops that
    // broadcast instead.
    const problem = makeStackProblem({
      batch: 3,
      time: 5,
      inputChannels: 2,
      units: [4],
      lengths: [4, 5, 2],
      seed: 58,
    });
    const {batch, time, units} = problem.config;
    const mask = Array.from({length: batch}, () => [1, 1, 0, 1, 1]);
    const tiles = await expectNoLeaks(async () => {
      const [x, descriptors] = [xOf(problem), descriptorsOf(problem)];
      const profile = await tf.profile(() => {
        tf.dispose(Object.values(singleGateRNN(x, descriptors[0], {sequenceLengths: problem.lengths, mask})));
      });
      tf.dispose([x, ...weightTensorsOf(descriptors)]);
      return profile.kernels.filter((k) => k.name === 'Tile');
    });
    const full = batch * time * units[0];
    expect(
      tiles.map((k) => k.outputShapes),
      "Tile kernels with the output's size",
    ).to.satisfy((shapes: number[][][]) =>
      shapes.every((out) => out.every((shape) => shape.reduce((a, b) => a * b, 1) !== full)),
    );
  });

  it('lengths as a tensor stay on the device: nothing is read back during the call', async () => {
    const problem = makeStackProblem({
      batch: 4,
      time: 6,
      inputChannels: 3,
      units: [4, 4],
      backward: [false, true],
      perDirection: true,
      lengths: 'random',
      seed: 57,
    });
    const reads = await expectNoLeaks(async () => {
      const lengths = tf.tensor1d(problem.lengths!, 'int32');
      const [x, descriptors] = [xOf(problem), descriptorsOf(problem)];
      const run = withReadsRecorded(() =>
        tf.tidy(() => ({
          stack: singleGateRNN(x, descriptors[1], {sequenceLengths: lengths}).output,
          bidirectional: singleGateRNNBidirectional(x, descriptors, {
            sequenceLengths: lengths,
            bidirectionalCombineMode: 'concatenate',
          }).output,
        })),
      );
      // The results read back fine (the lengths are valid), and the lengths' check lets go of them.
      await readAll(run.result);
      tf.dispose([x, lengths, ...weightTensorsOf(descriptors)]);
      return run.reads;
    });
    // Host-memory backends (cpu, wasm, the cpu-based test backend of the portable path) read where
    // that is free; a GPU backend reads nothing.
    if (['cpu', 'wasm', PORTABLE_TEST_BACKEND].includes(tf.getBackend())) {
      expect(reads.every((r) => r === 'readSync')).to.equal(true);
    } else {
      expect(reads).to.deep.equal([]);
    }
  });
});
