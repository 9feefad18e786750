/**
 * Whether tfjs' readback is the floor of a call→data on webgpu, in Node on Dawn, per shape of our op
 * (issue 20 asks for a read path of our own only if it is):
 * - call→data: the op called, then `await data()`, no bursts; beside it the same with the call's
 *   queued work submitted on its own before data()'s copy (two submits instead of one), which tells
 *   whether starting the GPU before the read is recorded pays; the two alternate;
 * - read alone: the op's output finished on the GPU first (queue drained), then only the read timed:
 *   by data(), and by a plain map (the output's buffer copied into a mappable buffer kept for the
 *   whole run, submitted alone, mapped, copied out), what a read costs without tfjs. A read path of
 *   our own could at best reach the plain map.
 * The last values of each kind are compared with data()'s, bit for bit. Prints a table and a JSON line
 * per shape.
 *
 * SHAPES='[[batch,time,inputs,units],...]', RUNS=n (default 20).
 */
import type {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type * as TfCore from '@tensorflow/tfjs-core';

import {median} from './run.js';
import {shapesFromEnv, type Shape} from './shapes_env.js';
import {problemCall, startWebGpu} from './webgpu_node.js';

const SHAPES: Shape[] = [
  [1, 1, 256, 256],
  [1, 100, 64, 128],
  [1, 672, 32, 32],
  [1, 1000, 128, 128],
  [32, 100, 256, 256],
];
const WARMUP = 10;

/**
 * The two kinds of sample in the order of iteration `i`, swapped every iteration, so that neither
 * always runs first (what the one before leaves on the GPU and in the allocator is a cost of its own).
 */
function inTurn<T>([a, b]: readonly [T, T], i: number): T[] {
  return i % 2 === 0 ? [a, b] : [b, a];
}

/** The output's values by a copy of its buffer into `staging`, with nothing of tfjs in between. */
async function plainMap(backend: WebGPUBackend, t: TfCore.Tensor, staging: GPUBuffer): Promise<Float32Array> {
  const source = backend.tensorMap.get(t.dataId).resource as GPUBuffer;
  const encoder = backend.device.createCommandEncoder();
  encoder.copyBufferToBuffer(source, 0, staging, 0, source.size);
  backend.device.queue.submit([encoder.finish()]);
  await staging.mapAsync(GPUMapMode.READ);
  const values = new Float32Array(staging.getMappedRange().slice(0));
  staging.unmap();
  return values;
}

async function main(): Promise<void> {
  const side = await startWebGpu();
  if (side == null) throw new Error('no webgpu backend');
  const {tf} = side;
  const backend = tf.backend() as WebGPUBackend;
  const runs = Number(process.env.RUNS ?? 20);
  const rows: string[] = [];
  let mismatches = 0;
  const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
    a.length === b.length && Array.prototype.every.call(a, (v: number, i: number) => Object.is(v, b[i]));

  for (const shape of shapesFromEnv('SHAPES', SHAPES)) {
    const problem = problemCall(side, shape);
    const reads = {data: [] as number[], submitted: [] as number[]};
    const alone = {data: [] as number[], plain: [] as number[]};
    const bytes = shape[0] * shape[1] * shape[3] * 4;
    const staging = backend.device.createBuffer({
      size: bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    // The last values of each kind, compared after the timed samples (a comparison between them would
    // idle the GPU before one kind only); the calls have the same inputs, so the same bits.
    const last: Record<string, ArrayLike<number>> = {};
    for (let i = 0; i < WARMUP + runs; i++) {
      for (const how of inTurn(['data', 'submitted'] as const, i)) {
        const start = performance.now();
        const outputs = problem.call();
        if (how === 'submitted') {
          backend.endComputePassEncoder();
          backend.submitQueue();
        }
        const values = await outputs[0].data();
        const end = performance.now();
        last[how] = values;
        tf.dispose(outputs);
        if (i >= WARMUP) reads[how].push(end - start);
      }
      for (const how of inTurn(['data', 'plain'] as const, i)) {
        const outputs = problem.call();
        // Everything queued done first, so that only the read is timed; tfjs ends its open pass
        // before each of its own submits.
        backend.endComputePassEncoder();
        backend.submitQueue();
        await backend.device.queue.onSubmittedWorkDone();
        const start = performance.now();
        const values =
          how === 'data' ? await outputs[0].data() : await plainMap(backend, outputs[0], staging);
        const end = performance.now();
        last[`${how} alone`] = values;
        tf.dispose(outputs);
        if (i >= WARMUP) alone[how].push(end - start);
      }
    }
    for (const values of Object.values(last)) if (!same(values, last.data)) mismatches++;
    staging.destroy();
    problem.dispose();
    const record = {
      B: shape[0],
      T: shape[1],
      I: shape[2],
      H: shape[3],
      callToDataMs: median(reads.data),
      callSubmitDataMs: median(reads.submitted),
      dataAloneMs: median(alone.data),
      plainMapAloneMs: median(alone.plain),
    };
    console.log(JSON.stringify(record));
    const figures = Object.values(record).slice(4);
    rows.push(`| ${shape.join(',')} | ${figures.map((v) => v.toFixed(3)).join(' | ')} |`);
  }
  console.log('| B,T,I,H | call→data | call, submit, data | data() alone | plain map alone |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
  console.log(`kinds of read whose values differ from data(): ${mismatches}`);
  if (mismatches > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
