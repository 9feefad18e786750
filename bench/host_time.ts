/**
 * Where a webgpu call's time goes, per shape, in one process (Node + Dawn):
 * - call to data at natural clocks: after the warm-up and an idle settle (SETTLE_S), the op called
 *   back to back, `await data()` each time, with no clock-raising bursts (what an app gets that
 *   starts calling on an idle GPU); split into the call's return and the read;
 * - the same call with tfjs' own readback of an output already on the GPU (tf.add then data()), and a
 *   program without tfjs (bench/floor.ts: one dispatch, copy, map) for the output's size;
 * - GPU time (tf.time's kernelMs) at natural clocks and after a clock-raising burst (gpu_clocks.ts),
 *   alternating, so the two columns tell the clock's share from the kernel's.
 * Prints a table and one JSON line per shape (HOST_TIME_OUT appends them to a file). The SM clock is
 * logged beside it by bench/host_time_device.sh.
 *
 * SHAPES='[[batch,time,inputs,units],...]', RUNS=n (default 20).
 */
import {adapterFields, installNavigatorGpu} from '../src/node/index.js';
import {floorMeter} from './floor.js';
import {enableClockBursts, raiseGpuClocks} from './gpu_clocks.js';
import {isSoftwareAdapter, median} from './run.js';
import {DAWN_FLAGS, problemCall} from './webgpu_node.js';

type Shape = [number, number, number, number];
const SHAPES: Shape[] = [
  [1, 100, 64, 128],
  [32, 100, 256, 256],
  [64, 256, 512, 512],
  [1, 1000, 128, 128],
  [1, 672, 32, 32],
  [16, 50, 1024, 1024],
  [1, 1, 256, 256],
  [8, 1, 512, 512],
];
/** Calls before the timed ones: compiles the pipelines, records the dispatches and warms the JIT, as an app past its first calls. */
const WARMUP = 10;
/**
 * Seconds of idle before each shape's timed calls on a real GPU (SETTLE_S overrides): an H100's SM
 * clock stays at 1980 MHz for about 4 s after load, then falls to 345 MHz (the clock logs of
 * host_time_device.sh), so the calls of every shape, ours and cuDNN's, start from the same idle clock.
 */
const DEFAULT_SETTLE_S = 5;
/** Milliseconds of the op's own untimed calls before the "sustained" samples. */
const SUSTAIN_MS = 1000;

async function main(): Promise<void> {
  const gpu = await installNavigatorGpu(DAWN_FLAGS);
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  const {singleGateRNN} = await import('../src/index.js');
  if (!(await tf.setBackend('webgpu'))) throw new Error('no webgpu backend');
  await tf.ready();
  // Dawn's adapter info keeps its fields on the prototype (JSON.stringify sees none): read them out.
  const adapter = adapterFields((await gpu.requestAdapter({powerPreference: 'high-performance'}))?.info);
  const software = isSoftwareAdapter(adapter);
  if (!software) enableClockBursts();
  const meter = await floorMeter(gpu);
  const shapes = process.env.SHAPES != null ? (JSON.parse(process.env.SHAPES) as Shape[]) : SHAPES;
  const runs = Number(process.env.RUNS ?? 20);
  const settleMs = 1000 * Number(process.env.SETTLE_S ?? (software ? 0 : DEFAULT_SETTLE_S));
  const out = process.env.HOST_TIME_OUT;
  const {appendFileSync} = await import('node:fs');
  const rows: string[] = [];

  for (const [batch, time, inputs, units] of shapes) {
    const problem = problemCall({tf, singleGateRNN, software}, [batch, time, inputs, units]);
    const call = problem.call;

    const callToData: number[] = [];
    const returns: number[] = [];
    let replayed: Float32Array | null = null;
    for (let i = 0; i < WARMUP + runs; i++) {
      // The timed calls start from the clocks an idle GPU settles at, as cuDNN's do (cudnn_rnn.py),
      // not from what the warm-up (pipeline compiles) or the previous shape's bursts left.
      if (i === WARMUP && settleMs > 0) await new Promise((done) => setTimeout(done, settleMs));
      const start = performance.now();
      const outputs = call();
      const returned = performance.now();
      replayed = (await outputs[0].data()) as Float32Array;
      const end = performance.now();
      tf.dispose(outputs);
      if (i >= WARMUP) {
        callToData.push(end - start);
        returns.push(returned - start);
      }
    }

    // The same calls after a second of the op's own back-to-back calls (untimed), no bursts: what an
    // app that keeps calling (a stream) gets once the clock has answered its load.
    const callToDataSustained: number[] = [];
    const sustainUntil = performance.now() + (software ? 0 : SUSTAIN_MS);
    while (performance.now() < sustainUntil) {
      const outputs = call();
      await outputs[0].data();
      tf.dispose(outputs);
    }
    for (let i = 0; i < (software ? 0 : runs); i++) {
      const start = performance.now();
      const outputs = call();
      await outputs[0].data();
      callToDataSustained.push(performance.now() - start);
      tf.dispose(outputs);
    }

    // The same calls at raised clocks: a burst first and a short one before each call, so the calls
    // run at the clock cuDNN's run at (a CUDA process holds the SM clock at its maximum while it
    // lives, idle or not; a WebGPU process on Vulkan lets it fall to idle): what is left of the
    // ratio is the call, not the clock.
    const callToDataRaised: number[] = [];
    for (let i = 0; i < (software ? 0 : runs); i++) {
      await raiseGpuClocks(tf);
      const start = performance.now();
      const outputs = call();
      await outputs[0].data();
      callToDataRaised.push(performance.now() - start);
      tf.dispose(outputs);
    }

    const resident = tf.zeros([batch, time, units]);
    const tfjsRead: number[] = [];
    for (let i = 0; i < WARMUP + runs; i++) {
      const start = performance.now();
      const y = tf.add(resident, 1);
      await y.data();
      if (i >= WARMUP) tfjsRead.push(performance.now() - start);
      y.dispose();
    }
    resident.dispose();
    const floor = meter != null ? await meter.floorMs(batch * time * units, runs, WARMUP) : NaN;

    // GPU time, alternating natural and raised clocks.
    const gpuNatural: number[] = [];
    const gpuBurst: number[] = [];
    for (let i = 0; i < runs; i++) {
      for (const burst of [false, true]) {
        if (burst) await raiseGpuClocks(tf);
        let outputs: ReturnType<typeof call> | null = null;
        const info = await tf.time(() => {
          outputs = call();
        });
        tf.dispose(outputs!);
        const ms = typeof info.kernelMs === 'number' ? info.kernelMs : NaN;
        (burst ? gpuBurst : gpuNatural).push(ms);
      }
    }
    // The same call through the backend's own dispatches (it profiles: nothing replayed) must give
    // the same bits as the timed calls.
    let profiled: ReturnType<typeof call> | null = null;
    await tf.time(() => {
      profiled = call();
    });
    const direct = (await profiled![0].data()) as Float32Array;
    tf.dispose(profiled!);
    const mismatches = replayed!.filter((v, i) => !Object.is(v, direct[i])).length;
    problem.dispose();

    const record = {
      B: batch,
      T: time,
      I: inputs,
      H: units,
      callToDataMs: median(callToData),
      callToDataRaisedMs: software ? NaN : median(callToDataRaised),
      callToDataSustainedMs: software ? NaN : median(callToDataSustained),
      returnMs: median(returns),
      tfjsReadMs: median(tfjsRead),
      floorMs: floor,
      gpuNaturalMs: median(gpuNatural),
      gpuBurstMs: median(gpuBurst),
      mismatches,
    };
    const line = JSON.stringify(record);
    console.log(line);
    if (out != null) appendFileSync(out, line + '\n');
    rows.push(
      `| ${[batch, time, inputs, units].join(',')} | ${[
        record.callToDataMs,
        record.returnMs,
        record.tfjsReadMs,
        record.floorMs,
        record.gpuNaturalMs,
        record.gpuBurstMs,
      ]
        .map((v) => v.toFixed(3))
        .join(' | ')} |`,
    );
  }
  meter?.destroy();
  console.log('| B,T,I,H | call→data | return | tfjs add+read | no-tfjs floor | GPU natural | GPU burst |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
