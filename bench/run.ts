/**
 * The benchmark itself, shared by the Node runner (bench/node.ts) and the browser page
 * (bench/browser.ts) so both measure the same way: the fused SingleGateRNN op against
 * tf.layers.simpleRNN (tfjs-layers), same backend, same weights and inputs (SimpleRNN kernel = Wᵀ,
 * recurrent kernel = Uᵀ, bias b, tanh; the fused op with useFloat32Weights so both compute in float32).
 *
 * Each timing runs from the call to the output's data on the host (`await data()`), after warm-up,
 * rotating which op goes first; the median of the runs is reported. A shape where the two outputs
 * differ beyond the backend's tolerance (test/util/tolerance.ts) stops the run. Where the time goes,
 * per op (webgpu): its GPU time (timestamp queries, tf.time's kernelMs, each program timed on its own),
 * its host time (from the call to the backend's last submit, bench/submit_clock.ts) and the call to
 * data; per shape, the floor a program without tfjs needs for the same readback (bench/floor.ts).
 *
 * tfjs, tfjs-layers and the op come in as arguments rather than imports: each runner has to load them
 * in its own order (in Node, the webgpu backend only registers once Dawn's navigator.gpu exists).
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';

import type {singleGateRNN as SingleGateRNNOp} from '../src/index.js';
import {describeAdapterFields} from '../src/node/adapter_info.js';
import {compareArrays, expectArraysClose} from '../test/util/close.js';
import {floorMeter, type FloorMeter} from './floor.js';
import {submitClock} from './submit_clock.js';
import {raiseGpuClocks} from './gpu_clocks.js';
import {problemArrays} from './problem.js';
import {toleranceFor} from '../test/util/tolerance.js';

export type Shape = [batch: number, time: number, inputs: number, units: number];

export const FULL_SHAPES: Shape[] = [
  [1, 100, 64, 128],
  [32, 100, 256, 256],
  [64, 256, 512, 512],
  [1, 1000, 128, 128],
  [1, 672, 32, 32],
  [16, 50, 1024, 1024],
];
/** Small enough for a CPU-emulated adapter to finish in minutes. */
export const SOFTWARE_SHAPES: Shape[] = [
  [1, 20, 16, 32],
  [4, 16, 32, 64],
  [1, 64, 8, 16],
];
export const WARMUP = 3;
export const DEFAULT_RUNS = 20;
/** GPU-time samples of tf.layers.simpleRNN (hundreds of timed programs a call). */
const BASELINE_GPU_SAMPLES = 5;

export interface BenchRecord {
  batch: number;
  time: number;
  inputs: number;
  units: number;
  fusedMs: number;
  baselineMs: number;
  /** baselineMs / fusedMs: above 1 means the fused op is faster. */
  speedup: number;
  maxAbsDiff: number;
  /**
   * One elementwise op on a [batch, time, units] tensor already on the GPU, then its data on the host:
   * the floor that the output's transfer alone puts under any op of this shape.
   */
  readbackFloorMs: number;
  backend: string;
  /** The adapter's vendor / architecture / device / description. */
  adapter: string;
  /**
   * GPU time of one call (timestamp queries, tf.time's kernelMs: the sum over its programs, each timed
   * in a pass of its own); null where the backend has no timestamps. Absent in older results.
   */
  fusedGpuMs?: number | null;
  /** Host time of one call: from the call to the backend's last submit (webgpu only, else null). */
  fusedHostMs?: number | null;
  /** From the call until the op returns: its recording on the host. */
  fusedReturnMs?: number;
  baselineGpuMs?: number | null;
  baselineHostMs?: number | null;
  /** The fused op with float16 weights (useFloat32Weights false), where the run has them. */
  float16?: Float16Times;
  /**
   * A minimal WebGPU program without tfjs writing and reading back a buffer of the output's size
   * (bench/floor.ts); null where there is no WebGPU device for it.
   */
  floorMs?: number | null;
}

export interface Float16Times {
  callToDataMs: number;
  gpuMs: number | null;
  hostMs: number | null;
  /** Largest difference from the float32-weights output (float16 rounds U, W and P). */
  maxAbsDiffFromFloat32: number;
}

/** What a run writes to bench/results/<environment>.json. */
export interface BenchReport {
  adapter: Record<string, string>;
  /** The JavaScript runtime: 'node v20…', or the browser and its version. */
  runtime: string;
  runs: number;
  warmup: number;
  /** True when the shapes were not given and the adapter is a software one (see SOFTWARE_SHAPES). */
  reducedShapes: boolean;
  records: BenchRecord[];
  /** The step of the adapter's timestamps (bench/floor.ts); null or absent where unknown. */
  timestampResolutionNs?: number | null;
}

export interface BenchOptions {
  /** The adapter's vendor, architecture, device and description, as far as the runtime reports them. */
  adapter: Record<string, string>;
  runtime: string;
  /** Default: FULL_SHAPES on a GPU, SOFTWARE_SHAPES on a software adapter. */
  shapes?: Shape[];
  /** Timed runs per op and shape (default DEFAULT_RUNS). */
  runs?: number;
  /** tfjs flags to set before measuring, e.g. {WEBGPU_CPU_FORWARD: false}. */
  flags?: Record<string, boolean | number>;
  /** A WebGPU entry point for the no-tfjs floor (bench/floor.ts); its rows are null without one. */
  gpu?: GPU | null;
  /** Also time the fused op with float16 weights (default: on webgpu). */
  float16?: boolean;
  /** Progress lines; awaited, so a runner may send them somewhere before the next shape starts. */
  log: (line: string) => void | Promise<void>;
}

/** Software renderers: CPU-emulated GPUs, too slow for the full set of shapes. */
export function isSoftwareAdapter(adapter: Record<string, string>): boolean {
  return /swiftshader|llvmpipe|lavapipe/i.test(JSON.stringify(adapter));
}

export {describeAdapterFields};

/** The results file's name without '.json': '<runtime>-<vendor>-<architecture or device>'. */
export function environmentName(runtime: string, adapter: Record<string, string>): string {
  return [runtime, adapter.vendor, adapter.architecture || adapter.device]
    .filter((s) => s)
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/-+$/, '');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One timed call: call to data, call to the last submit, call to return; and its output. */
interface CallTimes {
  callToDataMs: number;
  hostMs: number | null;
  returnMs: number;
  data: Float32Array;
}

/** An op as the benchmark calls it: what it returns, all of which the caller disposes. */
export type OpCall = () => TfCore.Tensor[];

/**
 * GPU time of one call from the backend's timestamp queries, or null where it has none; at full clocks
 * (gpu_clocks.ts).
 */
export async function gpuMs(tf: typeof TfCore, call: OpCall): Promise<number | null> {
  const backend = tf.backend() as unknown as {supportTimestampQuery?: boolean};
  if (tf.getBackend() !== 'webgpu' || backend.supportTimestampQuery !== true) return null;
  await raiseGpuClocks(tf);
  let outputs: TfCore.Tensor[] = [];
  const info = await tf.time(() => {
    outputs = call();
  });
  tf.dispose(outputs);
  return typeof info.kernelMs === 'number' ? info.kernelMs : null;
}

/** Runs every shape on the current backend (which the runner has set and made ready). */
export async function runBenchmark(
  tf: typeof TfCore,
  tfl: typeof TfLayers,
  singleGateRNN: typeof SingleGateRNNOp,
  options: BenchOptions,
): Promise<BenchReport> {
  if (options.flags) tf.env().setFlags(options.flags);
  const {adapter} = options;
  const adapterDescription = describeAdapterFields(adapter);
  const software = isSoftwareAdapter(adapter);
  const reducedShapes = software && options.shapes == null;
  const shapes = options.shapes ?? (software ? SOFTWARE_SHAPES : FULL_SHAPES);
  const runs = options.runs ?? DEFAULT_RUNS;
  const webgpu = tf.getBackend() === 'webgpu';
  const float16 = options.float16 ?? webgpu;
  const tolerance = toleranceFor(tf.getBackend());
  const clock = submitClock(tf);
  const meter: FloorMeter | null = options.gpu != null ? await floorMeter(options.gpu) : null;
  const timestampResolutionNs = meter != null ? await meter.timestampResolutionNs() : null;
  await options.log(`adapter: ${JSON.stringify(adapter)}`);
  if (webgpu) {
    await options.log(
      timestampResolutionNs != null
        ? `timestamps: steps of ${timestampResolutionNs} ns`
        : 'timestamps: none on this adapter (no GPU times)',
    );
  }
  if (reducedShapes) {
    await options.log(
      'Software adapter: running a reduced set of small shapes; the full set is for a real GPU.',
    );
  }

  const records: BenchRecord[] = [];
  for (const [batch, time, inputs, units] of shapes) {
    const data = problemArrays(batch, time, inputs, units);
    const x = tf.tensor3d(data.x, [batch, time, inputs]);
    const w = tf.tensor2d(data.w, [units, inputs]);
    const u = tf.tensor2d(data.u, [units, units]);
    const b = tf.tensor1d(data.b);

    const layer = tfl.layers.simpleRNN({units, activation: 'tanh', returnSequences: true, useBias: true});
    // Applying once builds the layer (creates its weights), which setWeights needs.
    tf.dispose(tf.tidy(() => layer.apply(x) as TfCore.Tensor));
    const [kernel, recurrentKernel] = tf.tidy(() => [tf.transpose(w), tf.transpose(u)]);
    layer.setWeights([kernel, recurrentKernel, b]);
    tf.dispose([kernel, recurrentKernel]);

    const fusedWith =
      (useFloat32Weights: boolean): OpCall =>
      () => {
        const {output, finalState} = singleGateRNN(x, {
          inputFeatureChannels: inputs,
          outputFeatureChannels: units,
          useFloat32Weights,
          inputWeights: {weights: w, biasTerms: b, neuron: {type: 'tanh'}},
          recurrentWeights: {weights: u},
        });
        return [output, finalState];
      };
    const ops: Record<'fused' | 'baseline' | 'float16', OpCall | null> = {
      fused: fusedWith(true),
      baseline: () => [tf.tidy(() => layer.apply(x) as TfCore.Tensor)],
      float16: float16 ? fusedWith(false) : null,
    };
    const timeCall = async (call: OpCall): Promise<CallTimes> => {
      const start = performance.now();
      const outputs = call();
      const returned = performance.now();
      const data = (await outputs[0].data()) as Float32Array;
      const end = performance.now();
      tf.dispose(outputs);
      return {
        callToDataMs: end - start,
        hostMs: clock != null ? clock.last - start : null,
        returnMs: returned - start,
        data,
      };
    };

    const names = (Object.keys(ops) as Array<keyof typeof ops>).filter((name) => ops[name] != null);
    for (let i = 0; i < WARMUP; i++) {
      for (const name of names) await timeCall(ops[name]!);
    }
    const times = new Map(names.map((name) => [name, [] as CallTimes[]]));
    let maxAbsDiff = 0;
    let float16Diff = 0;
    for (let i = 0; i < runs; i++) {
      // Rotate the order so no op always runs right after another's readback.
      const order = names.map((_, k) => names[(i + k) % names.length]);
      const round = new Map<string, CallTimes>();
      for (const name of order) round.set(name, await timeCall(ops[name]!));
      for (const [name, t] of round) times.get(name as keyof typeof ops)!.push(t);
      if (i === 0) {
        // Timing a wrong result means nothing: the fused output must match tf.layers.simpleRNN's
        // within this backend's tolerance.
        const fData = round.get('fused')!.data;
        const bData = round.get('baseline')!.data;
        expectArraysClose(fData, bData, tolerance, {
          what: `fused op against tf.layers.simpleRNN at ${JSON.stringify([batch, time, inputs, units])}`,
          shape: [batch, time, units],
        });
        maxAbsDiff = compareArrays(fData, bData, tolerance).largestError;
        const hData = round.get('float16')?.data;
        if (hData != null) float16Diff = compareArrays(hData, fData, tolerance).largestError;
      }
    }
    const gpuTimes = async (call: OpCall | null, samplesWanted = runs): Promise<number | null> => {
      if (call == null) return null;
      const samples: number[] = [];
      for (let i = 0; i < samplesWanted; i++) {
        const ms = await gpuMs(tf, call);
        if (ms == null) return null;
        samples.push(ms);
      }
      return median(samples);
    };
    // tf.layers.simpleRNN runs several programs a step, each timed (and submitted) on its own.
    const baselineGpuMs = await gpuTimes(ops.baseline, Math.min(runs, BASELINE_GPU_SAMPLES));
    // The two precisions' samples alternate, so that any drift in the GPU's state between samples
    // (its clocks, gpu_clocks.ts) falls on both alike.
    const alternating: Array<Array<number | null>> = [[], []];
    for (let i = 0; i < runs; i++) {
      for (const [k, call] of [ops.fused, ops.float16].entries()) {
        alternating[k].push(call == null ? null : await gpuMs(tf, call));
      }
    }
    const [fusedGpuMs, float16GpuMs] = alternating.map((samples) =>
      samples.some((ms) => ms == null) ? null : median(samples as number[]),
    );

    const resident = tf.zeros([batch, time, units]);
    const floorTimes: number[] = [];
    for (let i = 0; i < WARMUP + runs; i++) {
      const start = performance.now();
      const y = tf.add(resident, 1);
      await y.data();
      if (i >= WARMUP) floorTimes.push(performance.now() - start);
      y.dispose();
    }
    tf.dispose([x, w, u, b, resident]);
    layer.dispose();
    const floorMs = meter != null ? await meter.floorMs(batch * time * units, runs, WARMUP) : null;

    const medianOf = (name: keyof typeof ops, pick: (t: CallTimes) => number | null): number | null => {
      const values = times.get(name)?.map(pick);
      return values == null || values.some((v) => v == null) ? null : median(values as number[]);
    };
    const fusedMs = medianOf('fused', (t) => t.callToDataMs)!;
    const baselineMs = medianOf('baseline', (t) => t.callToDataMs)!;
    const float16Ms = medianOf('float16', (t) => t.callToDataMs);
    records.push({
      batch,
      time,
      inputs,
      units,
      fusedMs,
      baselineMs,
      speedup: baselineMs / fusedMs,
      maxAbsDiff,
      readbackFloorMs: median(floorTimes),
      backend: tf.getBackend(),
      adapter: adapterDescription,
      fusedGpuMs,
      fusedHostMs: medianOf('fused', (t) => t.hostMs),
      fusedReturnMs: medianOf('fused', (t) => t.returnMs)!,
      baselineGpuMs,
      baselineHostMs: medianOf('baseline', (t) => t.hostMs),
      ...(float16Ms != null && {
        float16: {
          callToDataMs: float16Ms,
          gpuMs: float16GpuMs,
          hostMs: medianOf('float16', (t) => t.hostMs),
          maxAbsDiffFromFloat32: float16Diff,
        },
      }),
      floorMs,
    });
    await options.log(`done ${JSON.stringify([batch, time, inputs, units])}`);
  }
  meter?.destroy();

  return {
    adapter,
    runtime: options.runtime,
    runs,
    warmup: WARMUP,
    reducedShapes,
    records,
    timestampResolutionNs,
  };
}
