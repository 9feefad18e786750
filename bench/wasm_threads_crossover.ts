/**
 * Where threads pay on the fused wasm recurrence (`npm run bench:wasm-threads`): our op on
 * tfjs-backend-wasm in Node on THREADS threads (default 2) against one thread, at shapes where one half
 * of the call dominates, so the crossovers of kernels/wasm/tuning.ts can be read off:
 *   - steps: few inputs (a negligible projection), per-step work batch * units^2 rising;
 *   - projection: 32 units (one panel, so the steps stay on one thread), rows * inputs * units rising.
 * Both sides run with the same workers started (WASM_THREADS_FLAG 'always' against 'off'),
 * alternating which goes first; medians of RUNS (default 20). Prints the load average before and
 * after: the machine this runs on may be shared, and threads suffer most from a busy one.
 */
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import {loadavg} from 'node:os';
import {join, sep} from 'node:path';

import {WASM_THREADS_FLAG} from '../kernels/wasm/tuning.js';
import {setWasmThreads, singleGateRNN} from '../src/index.js';
import {shapeRandom, uniform} from './problem.js';
import {median} from './run.js';

type Shape = [batch: number, time: number, inputs: number, units: number];

const STEP_SHAPES: Shape[] = [
  [1, 200, 4, 64],
  [1, 200, 4, 128],
  [1, 200, 4, 256],
  [4, 100, 4, 128],
  [1, 100, 4, 512],
  [8, 100, 4, 256],
  [32, 50, 4, 256],
];
const PROJECTION_SHAPES: Shape[] = [
  [1, 100, 64, 32],
  [1, 300, 128, 32],
  [1, 1000, 128, 32],
  [4, 1000, 256, 32],
];

async function timeShape(shape: Shape, runs: number): Promise<{one: number; many: number}> {
  const [batch, time, inputs, units] = shape;
  const random = shapeRandom(batch, time, inputs, units, 11);
  const w = tf.tensor2d(uniform(random, units * inputs, 1 / Math.sqrt(inputs)), [units, inputs]);
  const u = tf.tensor2d(uniform(random, units * units, 1 / Math.sqrt(units)), [units, units]);
  const xData = uniform(random, batch * time * inputs, 1);
  const call = async (mode: string): Promise<number> => {
    tf.env().set(WASM_THREADS_FLAG, mode);
    const start = performance.now();
    const x = tf.tensor3d(xData, [batch, time, inputs]);
    const {output, finalState} = singleGateRNN(x, {
      inputFeatureChannels: inputs,
      outputFeatureChannels: units,
      useFloat32Weights: true,
      inputWeights: {weights: w, neuron: {type: 'tanh'}},
      recurrentWeights: {weights: u},
    });
    await output.data();
    const ms = performance.now() - start;
    tf.dispose([x, output, finalState]);
    return ms;
  };
  for (let i = 0; i < 3; i++) for (const mode of ['off', 'always']) await call(mode);
  const one: number[] = [];
  const many: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (i % 2 === 0) {
      one.push(await call('off'));
      many.push(await call('always'));
    } else {
      many.push(await call('always'));
      one.push(await call('off'));
    }
  }
  tf.env().set(WASM_THREADS_FLAG, 'auto');
  tf.dispose([w, u]);
  return {one: median(one), many: median(many)};
}

async function main(): Promise<void> {
  setWasmPaths(join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + sep);
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  const threads = Number(process.env.THREADS ?? 2);
  const runs = Number(process.env.RUNS ?? 20);
  await setWasmThreads(threads);
  const load = () =>
    loadavg()
      .map((v) => v.toFixed(2))
      .join(' ');
  console.log(
    `node ${process.version}, ${threads} threads against 1, median of ${runs}, load average ${load()}`,
  );
  const row = (shape: Shape, work: string, t: {one: number; many: number}) =>
    `| ${shape.join(',')} | ${work} | ${t.one.toFixed(3)} | ${t.many.toFixed(3)} | ${(t.many / t.one).toFixed(2)} |`;
  console.log(
    `\nsteps (work per step: batch * units * padded units)\n| B,T,I,H | work | 1T ms | ${threads}T ms | ratio |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const shape of STEP_SHAPES) {
    const [b, , , h] = shape;
    console.log(row(shape, String(b * h * h), await timeShape(shape, runs)));
  }
  console.log(
    `\nprojection (work: rows * inputs * padded units)\n| B,T,I,H | work | 1T ms | ${threads}T ms | ratio |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const shape of PROJECTION_SHAPES) {
    const [b, t, i, h] = shape;
    console.log(row(shape, String(b * t * i * h), await timeShape(shape, runs)));
  }
  console.log(`\nload average after: ${load()}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
