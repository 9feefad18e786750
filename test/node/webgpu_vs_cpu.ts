/**
 * Checks the WebGPU kernel against the float64 cpu reference on every case of cases.ts, plus: no
 * tensor or GPU buffer left behind, and no pipeline compiled when a configuration runs again with
 * other shapes. Run in Node (see package.json `check:webgpu`); exits non-zero on any failure.
 *
 * Tolerance: |gpu - cpu| <= ATOL + RTOL * |cpu| per element, NaN only where the reference has NaN.
 */
import {adapterFields, installNavigatorGpu} from '../../node/backend.js';
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';

import type {Case} from './cases.js';

const ATOL = 5e-6;
const RTOL = 5e-6;

/** Deterministic uniform numbers in [-1, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

async function main(): Promise<void> {
  const gpu = await installNavigatorGpu();
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  await import('@tensorflow/tfjs-backend-webgpu');
  const sg = await import('../../src/index.js');
  const {NEURON_CASES, MODE_CASES, SHAPE_CASES, LONG_CASES} = await import('./cases.js');

  if (!(await tf.setBackend('webgpu'))) throw new Error('no WebGPU adapter');
  const backend = tf.backend() as WebGPUBackend;
  console.log(
    'adapter:',
    JSON.stringify(adapterFields((await gpu.requestAdapter({powerPreference: 'high-performance'}))?.info)),
  );
  console.log(
    'limits:',
    JSON.stringify({
      maxComputeInvocationsPerWorkgroup: backend.device.limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: backend.device.limits.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupStorageSize: backend.device.limits.maxComputeWorkgroupStorageSize,
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

  const run = async (c: Case, seed: number, backendName: string) => {
    await tf.setBackend(backendName);
    const rand = random(seed);
    const fill = (n: number, scale: number): number[] => Array.from({length: n}, () => rand() * scale);
    const x = tf.tensor3d(fill(c.batch * c.time * c.inputs, 1), [c.batch, c.time, c.inputs]);
    const w = tf.tensor2d(fill(c.units * c.inputs, 1 / Math.sqrt(c.inputs)), [c.units, c.inputs]);
    const b = tf.tensor1d(fill(c.units, 0.5));
    // Spectral radius below one keeps long sequences from blowing up for non-saturating neurons.
    const u = tf.tensor2d(fill(c.units * c.units, 0.9 / Math.sqrt(c.units)), [c.units, c.units]);
    const h0 = tf.tensor2d(fill(c.batch * c.units, 1), [c.batch, c.units]);
    const mask = c.mask
      ? tf.tensor2d(
          Array.from({length: c.batch * c.time}, (_, k) => (k < c.time || rand() < -0.35 ? 0 : 1)),
          [c.batch, c.time],
        )
      : null;
    const result = sg.singleGateRNN(
      x,
      {
        inputFeatureChannels: c.inputs,
        outputFeatureChannels: c.units,
        useLayerInputUnitTransformMode: c.unitTransform ?? false,
        useFloat32Weights: c.float32Weights ?? false,
        layerSequenceDirection: c.direction ?? 'forward',
        inputWeights: c.noInputSource
          ? null
          : {weights: c.noW || c.unitTransform ? null : w, biasTerms: c.noBias ? null : b, neuron: c.neuron},
        recurrentWeights: c.noU ? null : {weights: u},
      },
      {initialState: c.noInitialState ? null : h0, mask},
    );
    tf.dispose([x, w, b, u, h0, ...(mask ? [mask] : [])]);
    return result;
  };

  let maxAbsError = 0;
  const compare = (name: string, got: Float32Array, want: Float32Array): number => {
    let worst = 0;
    for (let i = 0; i < want.length; i++) {
      if (Number.isNaN(want[i]) || Number.isNaN(got[i])) {
        if (Number.isNaN(want[i]) !== Number.isNaN(got[i]))
          throw new Error(`${name}[${i}]: got ${got[i]}, want ${want[i]}`);
        continue;
      }
      if (want[i] === got[i]) continue;
      const err = Math.abs(got[i] - want[i]);
      if (!(err <= ATOL + RTOL * Math.abs(want[i]))) {
        throw new Error(`${name}[${i}]: got ${got[i]}, want ${want[i]} (|diff| ${err.toExponential(2)})`);
      }
      worst = Math.max(worst, err / (ATOL + RTOL * Math.abs(want[i])));
      maxAbsError = Math.max(maxAbsError, err);
    }
    return worst;
  };

  const all: Array<[string, Case[]]> = [
    ['neuron', NEURON_CASES],
    ['mode', MODE_CASES],
    ['shape', SHAPE_CASES],
    ['long', LONG_CASES],
  ];
  let failures = 0;
  let worstOverall = 0;
  let seed = 1;
  for (const [group, cases] of all) {
    for (const c of cases) {
      seed++;
      const label = `${group} ${JSON.stringify(c)}`;
      try {
        const want = await run(c, seed, 'cpu');
        const wantOut = want.output.dataSync() as Float32Array;
        const wantFinal = want.finalState.dataSync() as Float32Array;
        tf.dispose([want.output, want.finalState]);
        const before = tf.memory();
        const start = performance.now();
        const got = await run(c, seed, 'webgpu');
        const gotOut = (await got.output.data()) as Float32Array;
        const gotFinal = (await got.finalState.data()) as Float32Array;
        const ms = performance.now() - start;
        tf.dispose([got.output, got.finalState]);
        const after = tf.memory();
        if (after.numTensors !== before.numTensors || after.numBytes !== before.numBytes) {
          throw new Error(`leak: ${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
        }
        const worst = Math.max(
          compare('output', gotOut, wantOut),
          compare('finalState', gotFinal, wantFinal),
        );
        worstOverall = Math.max(worstOverall, worst);
        console.log(`ok   ${label} (${ms.toFixed(0)} ms, worst ${(worst * 100).toFixed(1)}% of tolerance)`);
      } catch (e) {
        failures++;
        console.log(`FAIL ${label}: ${(e as Error).message}`);
      }
      if (lost) throw new Error('device lost');
    }
  }

  // float16 rounding, exactly: with a one-hot initial state, no input weights and the identity neuron,
  // output[b, 0, i] = U[i][b] as the kernel rounded it. The values sit on the rounding edges: ties (to
  // even, both ways), the top of the range, subnormals and their ties.
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
    if (mismatch >= 0) {
      failures++;
      console.log(
        `FAIL float16 rounding: element ${mismatch}: cpu ${outputs[0][mismatch]}, webgpu ${outputs[1][mismatch]}`,
      );
    } else
      console.log('ok   float16 rounding: identical to the cpu reference on ties, range edge and subnormals');
  }

  // Same configuration, other shapes: no new pipeline.
  await tf.setBackend('webgpu');
  const again: Case = {batch: 3, time: 4, inputs: 5, units: 13, neuron: {type: 'tanh'}};
  const other: Case = {...again, batch: 2, time: 7, inputs: 9};
  tf.dispose(Object.values(await run(again, 99, 'webgpu')));
  const compiled = pipelines;
  const usedBuffers = backend.bufferManager.getNumUsedBuffers();
  const result = await run(other, 100, 'webgpu');
  await result.output.data();
  tf.dispose(Object.values(result));
  await tf.tensor1d([0]).data(); // flushes pending releases
  if (pipelines !== compiled) {
    failures++;
    console.log(
      `FAIL pipeline cache: ${pipelines - compiled} pipeline(s) compiled for a known configuration`,
    );
  } else console.log('ok   pipeline cache: no compilation for a known configuration with other shapes');
  const leftover = backend.bufferManager.getNumUsedBuffers() - usedBuffers;
  if (leftover > 1) {
    failures++;
    console.log(`FAIL GPU buffers: ${leftover} more in use after the call`);
  } else console.log(`ok   GPU buffers: ${leftover} more in use after the call (the probe tensor at most)`);

  console.log(
    `tolerance: atol ${ATOL}, rtol ${RTOL}; worst case used ${(worstOverall * 100).toFixed(1)}% of it; ` +
      `largest |gpu - cpu| ${maxAbsError.toExponential(2)}`,
  );
  console.log(failures === 0 ? 'all passed' : `${failures} failed`);
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
