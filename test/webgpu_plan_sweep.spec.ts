/**
 * The WebGPU recurrence's plan space, swept: every strategy (resident, persistent with U in registers
 * or streamed, stepwise), 1-4 batch rows per workgroup with partial last row blocks, partial column blocks,
 * one to sixteen outputs per invocation, and unit counts 1-16 and around every threshold. A spec first
 * checks that the sweep reaches each of those plans with this adapter's limits (the plan depends on
 * them), then each shape runs against the cpu kernel. SwiftShader once hung compiling a plan no spec
 * reached (batch 65, 8 units); GPU reads here run under the watchdog (util/gpu_watchdog.ts).
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import {expect} from 'chai';

import {planRecurrence, RecurrencePlan} from '../kernels/webgpu/strategy.js';
import {describeConfig, PLAN_SWEEP} from './cases/webgpu.js';
import {backendsWithKernel, useBackend} from './util/backends.js';
import {expectSameAsCpuKernel} from './util/against_cpu.js';
import type {ProblemConfig} from './util/problem.js';

function planOf(config: ProblemConfig, backend: WebGPUBackend): RecurrencePlan {
  const shape = {
    batch: config.batch,
    time: config.time,
    units: config.outputChannels,
    float16: !config.float32Weights,
  };
  return planRecurrence(shape, backend.device.limits);
}

/** The features of a plan that change the shader or its indexing, as short labels. */
function planFeatures(plan: RecurrencePlan, batch: number): string[] {
  const kind =
    plan.strategy !== 'persistent'
      ? plan.strategy
      : plan.registerU
        ? 'persistent/registerU'
        : 'persistent/streamedU';
  return [
    `${kind}, ${plan.rows} rows`,
    ...(batch % plan.rows !== 0 ? [`${kind}, ${plan.rows} rows, partial last row block`] : []),
    ...(plan.unitQuads % plan.quads !== 0 ? [`${kind}, partial last column block`] : []),
    plan.outputsPerInvocation > 1 ? 'several outputs per invocation' : 'one output per invocation',
    plan.splits > 1 ? 'split dot products' : 'unsplit dot products',
  ];
}

/**
 * Persistent plans with U in registers need 129-256 units (fewer are resident) split up to 16 ways,
 * which some adapters' invocation and workgroup-storage limits never allow, or allow for fewer rows:
 * the features of those plans this adapter can reach, probed over that range.
 */
function reachableRegisterU(backend: WebGPUBackend): string[] {
  const found = new Set<string>();
  for (let units = 129; units <= 256; units++) {
    for (const batch of [1, 65, 130, 193]) {
      const plan = planRecurrence({batch, time: 2, units, float16: false}, backend.device.limits);
      if (plan.strategy === 'persistent' && plan.registerU) {
        planFeatures(plan, batch)
          .filter((f) => f.startsWith('persistent/registerU'))
          .forEach((f) => found.add(f));
      }
    }
  }
  return [...found];
}

function required(backend: WebGPUBackend): string[] {
  const persistent = ['resident', 'persistent/streamedU'];
  return [
    ...[...persistent, 'stepwise'].flatMap((kind) => [1, 2, 3, 4].map((rows) => `${kind}, ${rows} rows`)),
    ...persistent.flatMap((kind) => [2, 3, 4].map((rows) => `${kind}, ${rows} rows, partial last row block`)),
    ...reachableRegisterU(backend),
    'stepwise, 4 rows, partial last row block',
    'stepwise, partial last column block',
    'several outputs per invocation',
    'one output per invocation',
    'split dot products',
    'unsplit dot products',
  ];
}

for (const backend of backendsWithKernel().filter((b) => b.name === 'webgpu')) {
  describe(`${backend.name} recurrence plans, swept against the cpu kernel`, () => {
    before(() => useBackend(backend.name));

    it('reaches every plan the strategy can pick on this adapter', () => {
      const gpu = tf.backend() as WebGPUBackend;
      const reached = new Set(PLAN_SWEEP.flatMap((c) => planFeatures(planOf(c, gpu), c.batch)));
      const missing = required(gpu).filter((feature) => !reached.has(feature));
      expect(missing, `plans no sweep shape reaches: ${missing.join('; ')}`).to.deep.equal([]);
    });

    for (const config of PLAN_SWEEP) {
      it(describeConfig(config), () => expectSameAsCpuKernel(config, backend));
    }
  });
}
