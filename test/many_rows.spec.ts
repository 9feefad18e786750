/**
 * B·T of 4,194,304 rows and more: the webgpu projection's row blocks (64 rows each at the time) passed
 * one dispatch dimension (65535 workgroups) there, where tfjs failed with "Dispatch size exceeds WebGPU limits";
 * they are folded into a second dimension instead. Every other backend computes the case against the
 * reference; on webgpu the spec checks the fold itself (see the skip's reason for why not the values).
 */
import {expect} from 'chai';
import * as tf from '@tensorflow/tfjs-core';

import {ProjectionProgram} from '../kernels/webgpu/projection_program.js';
import {describeAllBackends} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {makeProblem, referenceOf, runOp} from './util/problem.js';

// [2049, 2048] rows: one row block more than 65536 blocks, the first count one dimension cannot hold.
const [BATCH, TIME] = [2049, 2048];

describeAllBackends('many rows (B·T past 65535 · 64)', ({name, tolerance}) => {
  it(`[${BATCH}, ${TIME}, 1] -> 1 with W and a bias, no U`, async function () {
    if (name === 'webgpu') {
      // The projection costs 65537 workgroups of 64 x 64 x 16 multiply-adds, 4.3e9 in all: a minute
      // or more on the software adapters the specs run on, past the GPU watchdog.
      this.skip();
    }
    const problem = makeProblem({
      batch: BATCH,
      time: TIME,
      inputChannels: 1,
      outputChannels: 1,
      neuron: {type: 'linear', a: 1, b: 0, c: 0},
      recurrentWeights: false,
      float32Weights: true,
      seed: 5,
    });
    const run = await runOp(problem);
    const expected = referenceOf(problem);
    expectArraysClose(run.output, expected.output, tolerance, {what: 'output', shape: run.outputShape});
    expectArraysClose(run.finalState, expected.finalState, tolerance, {what: 'final state'});
  });

  if (name === 'webgpu') {
    it('the projection folds its row blocks within one dispatch dimension and covers every row', () => {
      const x = {dataId: {}, shape: [BATCH, TIME, 1], dtype: 'float32' as const};
      const w = {dataId: {}, shape: [1, 1], dtype: 'float32' as const};
      const limits = (tf.backend() as unknown as {device: GPUDevice}).device.limits;
      const program = new ProjectionProgram(
        {x, inputWeights: w, biasTerms: null},
        {batch: BATCH, time: TIME, inputs: 1, units: 1, roundToFloat16: false},
        limits,
      );
      const [, y, z] = program.dispatch;
      expect(program.plan.kind, 'program').to.equal('tiled');
      expect(Math.max(...program.dispatch), 'largest dimension').to.be.at.most(
        limits.maxComputeWorkgroupsPerDimension,
      );
      expect(y * z * program.plan.rows, 'rows covered').to.be.at.least(BATCH * TIME);
    });
  }
});
