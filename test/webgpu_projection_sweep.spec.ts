/**
 * The WebGPU input projection's plans, swept: the small-M program around its threshold and its rows
 * per workgroup, every tile of the tiled program that fits this adapter, partial row and column blocks
 * and input counts off every multiple the shaders step by. A spec first checks that the sweep reaches
 * those plans with this adapter's limits (the plan depends on them), then each shape runs against the
 * cpu kernel.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {planProjection, projectionKey} from '../kernels/webgpu/projection_plan.js';
import {PROJECTION_SKINNY_MAX_ROWS} from '../kernels/webgpu/tuning.js';
import {describeConfig} from './cases/webgpu.js';
import {PROJECTION_SWEEP} from './cases/webgpu_projection.js';
import {backendsWithKernel, useBackend} from './util/backends.js';
import {expectSameAsCpuKernel} from './util/against_cpu.js';
import type {ProblemConfig} from './util/problem.js';

/** The features of a case's plan that change the shader or its indexing, as short labels. */
function planFeatures(config: ProblemConfig, gpu: WebGPUBackend): string[] {
  const shape = {
    rows: config.batch * config.time,
    inputs: config.inputChannels,
    units: config.outputChannels,
  };
  const plan = planProjection(shape, gpu.device.limits);
  const kind = plan.kind === 'skinny' ? 'skinny' : projectionKey(plan);
  return [
    kind,
    ...(shape.rows % plan.rows !== 0 ? [`${kind}, partial last row block`] : []),
    ...(shape.units % plan.units !== 0 ? [`${kind}, partial last column block`] : []),
    ...(shape.inputs % 4 !== 0 ? [`${kind}, inputs not a multiple of 4`] : []),
  ];
}

for (const backend of backendsWithKernel().filter((b) => b.name === 'webgpu')) {
  describe(`${backend.name} projection plans, swept against the cpu kernel`, () => {
    before(() => useBackend(backend.name));

    it('reaches the small-M program and the first and last tiles that fit this adapter', () => {
      const gpu = tf.backend() as WebGPUBackend;
      const limits = gpu.device.limits;
      // The tiles the planner picks for many and for few workgroups, whatever the adapter fits.
      const largest = projectionKey(planProjection({rows: 1 << 20, inputs: 4, units: 1 << 12}, limits));
      const smallest = projectionKey(
        planProjection({rows: PROJECTION_SKINNY_MAX_ROWS + 1, inputs: 4, units: 1}, limits),
      );
      const kinds = [...(PROJECTION_SKINNY_MAX_ROWS > 0 ? ['skinny'] : []), largest, smallest];
      const required = kinds.flatMap((kind) => [
        kind,
        `${kind}, partial last row block`,
        `${kind}, partial last column block`,
        `${kind}, inputs not a multiple of 4`,
      ]);
      const reached = new Set(PROJECTION_SWEEP.flatMap((c) => planFeatures(c, gpu)));
      const missing = required.filter((feature) => !reached.has(feature));
      expect(missing, `plans no sweep shape reaches: ${missing.join('; ')}`).to.deep.equal([]);
    });

    for (const config of PROJECTION_SWEEP) {
      it(describeConfig(config), () => expectSameAsCpuKernel(config, backend));
    }
  });
}
