/**
 * Checks the WebGPU kernel against the float64 cpu kernel in Node (Dawn through the `webgpu` package:
 * a real GPU where Vulkan has one, else SwiftShader with VK_ICD_FILENAMES pointing at it). Runs every
 * case of test/cases/webgpu.ts (the specs' cases and the plan sweep) and the projection sweep
 * (test/cases/webgpu_projection.ts) plus RANDOM_CASES seeded random configurations, then every neuron at ±Inf and NaN (test/cases/neuron_edges.ts), then the image
 * variant's kernel (SingleGateConvRNN) on the cases of test/cases/conv_webgpu.ts plus as many more
 * random ones as a tenth of the random count, against its cpu kernel, then: bidirectional layer pairs
 * against the two directions' own calls, float16 rounding bit for bit, no pipeline compiled for a known configuration with other shapes, no GPU buffer left
 * behind.
 *
 * Usage: node webgpu_vs_cpu.cjs [random case count, default 1000]. Run it through watchdog.ts (the npm
 * script does), which fails the run naming the case if one does not finish.
 * Tolerance: the specs' rule (util/close.ts) with the webgpu tolerance (util/tolerance.ts).
 * Prints one line per case and a closing "N passed, N failed"; exits non-zero on any failure.
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';

import {adapterFields, installNavigatorGpu} from '../../src/node/index.js';
import type {ProblemConfig} from '../util/problem.js';
import {checkBidirectionalPairs} from './bidirectional_pairs.js';

const RANDOM_CASES = Number(process.argv[2] ?? 1000);

/** Tells the watchdog (the parent process) which case runs now. */
function started(label: string): void {
  process.send?.({started: label});
}

async function main(): Promise<void> {
  const gpu = await installNavigatorGpu();
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await import('@tensorflow/tfjs-backend-webgpu');
  const sg = await import('../../src/index.js');
  const {makeProblem, runOp} = await import('../util/problem.js');
  const {compareArrays, expectArraysClose} = await import('../util/close.js');
  const {toleranceFor} = await import('../util/tolerance.js');
  const tolerance = toleranceFor('webgpu');
  const cases = await import('../cases/webgpu.js');
  const {PROJECTION_SWEEP} = await import('../cases/webgpu_projection.js');

  if (!(await tf.setBackend('webgpu'))) throw new Error('no WebGPU adapter');
  tf.env().set('WEBGPU_CPU_FORWARD', false);
  const backend = tf.backend() as WebGPUBackend;
  const limits = backend.device.limits;
  console.log(
    'adapter:',
    JSON.stringify(adapterFields((await gpu.requestAdapter({powerPreference: 'high-performance'}))?.info)),
  );
  console.log(
    'limits:',
    JSON.stringify({
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    }),
  );
  let pipelines = 0;
  const device = backend.device;
  const createComputePipeline = device.createComputePipeline.bind(device);
  device.createComputePipeline = (descriptor) => {
    pipelines++;
    return createComputePipeline(descriptor);
  };
  let lost = false;
  void device.lost.then((info) => {
    lost = true;
    console.error('device lost:', info.message);
  });

  let passed = 0;
  let failed = 0;
  const report = (ok: boolean, line: string): void => {
    if (ok) passed++;
    else failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
  };

  const groups: Array<[string, ProblemConfig[]]> = [
    ['neuron', cases.NEURON_CASES],
    ['mode', cases.MODE_CASES],
    ['shape', cases.SHAPE_CASES],
    ['long', cases.LONG_CASES],
    ['pinned', cases.PINNED],
    ['plan sweep', cases.PLAN_SWEEP],
    ['projection sweep', PROJECTION_SWEEP],
    ['random', Array.from({length: RANDOM_CASES}, (_, k) => cases.randomConfig(k + 1))],
  ];
  let worstOverall = 0;
  for (const [group, configs] of groups) {
    for (const config of configs) {
      const label = `${group} ${cases.describeConfig(config)}`;
      started(label);
      try {
        const problem = makeProblem(config);
        await tf.setBackend('cpu');
        const want = await runOp(problem);
        await tf.setBackend('webgpu');
        const before = tf.memory();
        const start = performance.now();
        const got = await runOp(problem);
        const ms = performance.now() - start;
        const after = tf.memory();
        if (after.numTensors !== before.numTensors || after.numBytes !== before.numBytes) {
          throw new Error(`leak: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
        }
        expectArraysClose(got.output, want.output, tolerance, {
          what: 'output',
          shape: got.outputShape,
        });
        expectArraysClose(got.finalState, want.finalState, tolerance, {what: 'final state'});
        const used = Math.max(
          compareArrays(got.output, want.output, tolerance).toleranceUsed,
          compareArrays(got.finalState, want.finalState, tolerance).toleranceUsed,
        );
        worstOverall = Math.max(worstOverall, used);
        report(true, `${label} (${ms.toFixed(0)} ms, worst ${(used * 100).toFixed(1)}% of tolerance)`);
      } catch (e) {
        report(false, `${label}: ${(e as Error).message}`);
      }
      if (lost) throw new Error('device lost');
    }
  }

  // Every neuron at ±Inf and NaN (test/cases/neuron_edges.ts), against the cpu kernel; the values
  // are compared exactly where not finite (util/close.ts).
  const edges = await import('../cases/neuron_edges.js');
  for (const neuron of edges.EDGE_NEURONS) {
    const label = `neuron edges ${edges.describeNeuron(neuron)} at ${edges.NON_FINITE_VALUES.join(', ')}`;
    started(label);
    try {
      const problem = edges.edgeProblem(neuron, edges.NON_FINITE_VALUES);
      await tf.setBackend('cpu');
      const want = await runOp(problem);
      await tf.setBackend('webgpu');
      const got = await runOp(problem);
      expectArraysClose(got.output, want.output, tolerance, {what: 'output'});
      report(true, label);
    } catch (e) {
      report(false, `${label}: ${(e as Error).message}`);
    }
    if (lost) throw new Error('device lost');
  }

  // The image variant, against the cpu kernel (the float64 loop over pixels).
  const conv = await import('../util/conv_kernel_problem.js');
  const convCases = await import('../cases/conv_webgpu.js');
  const convConfigs = [
    ...convCases.PINNED_CONV,
    ...Array.from({length: Math.ceil(RANDOM_CASES / 10)}, (_, k) => convCases.randomConvConfig(k + 1)),
  ];
  for (const config of convConfigs) {
    const label = `conv ${convCases.describeConvConfig(config)}`;
    started(label);
    try {
      const problem = conv.makeConvProblem(config);
      await tf.setBackend('cpu');
      const want = await conv.runConvKernel(problem);
      await tf.setBackend('webgpu');
      const before = tf.memory();
      const got = await conv.runConvKernel(problem);
      const after = tf.memory();
      if (after.numTensors !== before.numTensors || after.numBytes !== before.numBytes) {
        throw new Error(`leak: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
      }
      expectArraysClose(got.output, want.output, tolerance, {what: 'output', shape: got.outputShape});
      expectArraysClose(got.finalState, want.finalState, tolerance, {what: 'final state'});
      const used = Math.max(
        compareArrays(got.output, want.output, tolerance).toleranceUsed,
        compareArrays(got.finalState, want.finalState, tolerance).toleranceUsed,
      );
      worstOverall = Math.max(worstOverall, used);
      report(true, `${label} (worst ${(used * 100).toFixed(1)}% of tolerance)`);
    } catch (e) {
      report(false, `${label}: ${(e as Error).message}`);
    }
    if (lost) throw new Error('device lost');
  }

  // Bidirectional layer pairs in one kernel call: bit for bit the two directions' own calls.
  await tf.setBackend('webgpu');
  await checkBidirectionalPairs(Math.min(40, RANDOM_CASES), report, started);

  // float16 rounding, exactly: with a one-hot initial state, no input weights and the identity neuron,
  // output[b, 0, i] = U[i][b] as the kernel rounded it. The values sit on the rounding edges: ties (to
  // even, both ways), the top of the range, subnormals and their ties.
  started('float16 rounding');
  {
    const edges = [
      1 + 2 ** -11,
      1 + 3 * 2 ** -11,
      65519,
      65504,
      -(2 ** -25),
      1.5 * 2 ** -25,
      3 * 2 ** -25,
      1e-5,
      -0.1,
      1 / 3,
      2 ** -14 * (1 + 2 ** -11),
      2 ** -14 * (1 - 2 ** -12),
      4095.5,
      2049,
      -6.1e-5,
      0.7,
    ];
    const n = 4;
    const u = Array.from({length: n * n}, (_, k) => edges[k % edges.length]);
    const eye = Array.from({length: n * n}, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
    const outputs: Float32Array[] = [];
    for (const name of ['cpu', 'webgpu']) {
      await tf.setBackend(name);
      const r = sg.singleGateRNN(
        tf.zeros([n, 1, 1]),
        {
          inputFeatureChannels: 1,
          outputFeatureChannels: n,
          recurrentWeights: {weights: tf.tensor2d(u, [n, n])},
        },
        {initialState: tf.tensor2d(eye, [n, n])},
      );
      outputs.push((await r.output.data()) as Float32Array);
      tf.dispose(Object.values(r));
    }
    const mismatch = outputs[0].findIndex((v, k) => !Object.is(v, outputs[1][k]));
    report(
      mismatch < 0,
      mismatch < 0
        ? 'float16 rounding: identical to the cpu reference on ties, range edge and subnormals'
        : `float16 rounding: element ${mismatch}: cpu ${outputs[0][mismatch]}, webgpu ${outputs[1][mismatch]}`,
    );
  }

  // Same configuration, other shapes: no new pipeline, and no GPU buffer left behind.
  started('pipeline cache and buffers');
  await tf.setBackend('webgpu');
  const known: ProblemConfig = {...cases.NEURON_CASES[0], batch: 3, time: 4, inputChannels: 5};
  await runOp(makeProblem(known));
  const compiled = pipelines;
  const usedBuffers = backend.bufferManager.getNumUsedBuffers();
  await runOp(makeProblem({...known, batch: 2, time: 7, inputChannels: 9}));
  await tf.tensor1d([0]).data(); // flushes pending releases
  report(
    pipelines === compiled,
    `pipeline cache: ${pipelines - compiled} pipeline(s) compiled for a known configuration with other shapes`,
  );
  const leftover = backend.bufferManager.getNumUsedBuffers() - usedBuffers;
  report(leftover <= 1, `GPU buffers: ${leftover} more in use after the call (the probe tensor at most)`);

  console.log(
    `tolerance: atol ${tolerance.atol}, rtol ${tolerance.rtol}; ` +
      `worst case used ${(worstOverall * 100).toFixed(1)}% of it`,
  );
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
