/**
 * The WebGPU kernel traces a call's whole sequence of work on its first run for a configuration and
 * replays it on later calls (kernels/webgpu/call_trace.ts). A replay runs on the new call's tensors:
 * other values, other weights tensors, a mask and an initial state, must give the same bits as the
 * backend running every program itself (it does while it profiles), and a call whose operands share
 * data must not be replayed from a trace of one whose operands do not.
 */
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';
import {singleGateRNN} from 'tfjs-single-gate-rnn';

import {backendsWithKernel, useBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {makeProblem, ProblemConfig, referenceOf, runOp} from './util/problem.js';
import {expectReplayedFromTrace, programsRun, untracedRun} from './util/program_runs.js';

const CONFIGS: Array<[string, ProblemConfig]> = [
  [
    'float32 weights, bias',
    {batch: 2, time: 6, inputChannels: 3, outputChannels: 5, neuron: {type: 'tanh', a: 1, b: 1, c: 0}},
  ],
  [
    'float16 weights, backward, mask and initial state',
    {
      batch: 3,
      time: 4,
      inputChannels: 2,
      outputChannels: 4,
      neuron: {type: 'sigmoid', a: 1, b: 1, c: 0},
      backward: true,
      mask: 'random',
      initialState: true,
    },
  ],
  [
    'no recurrent weights',
    {
      batch: 2,
      time: 3,
      inputChannels: 4,
      outputChannels: 4,
      neuron: {type: 'tanh', a: 1, b: 1, c: 0},
      recurrentWeights: false,
    },
  ],
];

for (const backend of backendsWithKernel().filter((b) => b.name === 'webgpu')) {
  describe(`${backend.name}: a call replayed from its trace`, () => {
    beforeEach(() => useBackend(backend.name));

    for (const [name, config] of CONFIGS) {
      it(`gives the same bits as the backend's own dispatches on other tensors (${name})`, async () => {
        // The first call traces; the second, on new tensors of other values, replays.
        await runOp(makeProblem({...config, seed: 1}));
        const problem = makeProblem({...config, seed: 2});
        const {result: replayed, runs} = await programsRun(() => runOp(problem));
        expectReplayedFromTrace(
          runs,
          config.recurrentWeights === false ? 'ElementwiseRecurrenceProgram' : 'RecurrenceProgram',
        );
        const direct = await untracedRun(() => runOp(problem));
        expect(Array.from(replayed.output)).to.deep.equal(Array.from(direct.output));
        expect(Array.from(replayed.finalState)).to.deep.equal(Array.from(direct.finalState));
        expectArraysClose(replayed.output, referenceOf(problem).output, backend.tolerance, {
          what: 'a replayed call',
        });
      });
    }

    it('runs a call whose operands share data as it is, not from a trace of distinct ones', async () => {
      const units = 4;
      const problem = makeProblem({
        batch: 2,
        time: 5,
        inputChannels: units,
        outputChannels: units,
        neuron: {type: 'tanh', a: 1, b: 1, c: 0},
        float32Weights: true,
      });
      const x = tf.tensor3d(problem.x, [2, 5, units]);
      const w = tf.tensor2d(problem.w!, [units, units]);
      const u = tf.tensor2d(problem.u!, [units, units]);
      const call = (inputWeights: tf.Tensor2D, recurrentWeights: tf.Tensor2D) =>
        singleGateRNN(x, {
          inputFeatureChannels: units,
          outputFeatureChannels: units,
          useFloat32Weights: true,
          inputWeights: {weights: inputWeights, neuron: {type: 'tanh'}},
          recurrentWeights: {weights: recurrentWeights},
        });
      const read = async (result: ReturnType<typeof call>) => {
        const values = Array.from(await result.output.data());
        tf.dispose([result.output, result.finalState]);
        return values;
      };
      // Traced with W and U apart, then W = U = u: same shapes, same key.
      await read(call(w, u));
      const shared = await read(call(u, u));
      let profiled: ReturnType<typeof call> | null = null;
      await tf.time(() => void (profiled = call(u, u)));
      const direct = await read(profiled!);
      tf.dispose([x, w, u]);
      expect(shared).to.deep.equal(direct);
    });
  });
}
