/**
 * The benchmark itself, shared by the Node runner (bench/node.ts) and the browser page
 * (bench/browser.ts) so both measure the same way: the fused SingleGateRNN op against
 * tf.layers.simpleRNN (tfjs-layers), same backend, same weights and inputs (SimpleRNN kernel = Wᵀ,
 * recurrent kernel = Uᵀ, bias b, tanh; the fused op with useFloat32Weights so both compute in float32).
 *
 * Each timing runs from the call to the output's data on the host (`await data()`), after warm-up,
 * alternating which of the two goes first; the median of the runs is reported. A shape where the two
 * outputs differ beyond the backend's tolerance (test/util/tolerance.ts) stops the run.
 *
 * tfjs, tfjs-layers and the op come in as arguments rather than imports: each runner has to load them
 * in its own order (in Node, the webgpu backend only registers once Dawn's navigator.gpu exists).
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';

import type {singleGateRNN as SingleGateRNNOp} from '../src/index.js';
import {compareArrays, expectArraysClose} from '../test/util/close.js';
import {Random} from '../test/util/random.js';
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
  /** Progress lines; awaited, so a runner may send them somewhere before the next shape starts. */
  log: (line: string) => void | Promise<void>;
}

/** Software renderers: CPU-emulated GPUs, too slow for the full set of shapes. */
export function isSoftwareAdapter(adapter: Record<string, string>): boolean {
  return /swiftshader|llvmpipe|lavapipe/i.test(JSON.stringify(adapter));
}

/** The adapter's fields joined for humans: 'google / swiftshader / ...'. */
export function describeAdapterFields(adapter: Record<string, string>): string {
  return Object.values(adapter)
    .filter((v) => v)
    .join(' / ');
}

/** The results file's name without '.json': '<runtime>-<vendor>-<architecture or device>'. */
export function environmentName(runtime: string, adapter: Record<string, string>): string {
  return [runtime, adapter.vendor, adapter.architecture || adapter.device]
    .filter((s) => s)
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/-+$/, '');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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
  const tolerance = toleranceFor(tf.getBackend());
  await options.log(`adapter: ${JSON.stringify(adapter)}`);
  if (reducedShapes) {
    await options.log(
      'Software adapter: running a reduced set of small shapes; the full set is for a real GPU.',
    );
  }

  const records: BenchRecord[] = [];
  for (const [batch, time, inputs, units] of shapes) {
    const random = new Random(batch * 1000003 + time * 1009 + inputs * 31 + units);
    const fill = (n: number, scale: number): Float32Array => random.floats(n, -scale, scale);
    const x = tf.tensor3d(fill(batch * time * inputs, 1), [batch, time, inputs]);
    const w = tf.tensor2d(fill(units * inputs, 1 / Math.sqrt(inputs)), [units, inputs]);
    const u = tf.tensor2d(fill(units * units, 0.9 / Math.sqrt(units)), [units, units]);
    const b = tf.tensor1d(fill(units, 0.5));

    const layer = tfl.layers.simpleRNN({units, activation: 'tanh', returnSequences: true, useBias: true});
    // Applying once builds the layer (creates its weights), which setWeights needs.
    tf.dispose(tf.tidy(() => layer.apply(x) as TfCore.Tensor));
    const [kernel, recurrentKernel] = tf.tidy(() => [tf.transpose(w), tf.transpose(u)]);
    layer.setWeights([kernel, recurrentKernel, b]);
    tf.dispose([kernel, recurrentKernel]);

    const fused = () =>
      singleGateRNN(x, {
        inputFeatureChannels: inputs,
        outputFeatureChannels: units,
        useFloat32Weights: true,
        inputWeights: {weights: w, biasTerms: b, neuron: {type: 'tanh'}},
        recurrentWeights: {weights: u},
      });
    const timeFused = async (): Promise<[number, Float32Array]> => {
      const start = performance.now();
      const {output, finalState} = fused();
      const data = (await output.data()) as Float32Array;
      const ms = performance.now() - start;
      tf.dispose([output, finalState]);
      return [ms, data];
    };
    const timeBaseline = async (): Promise<[number, Float32Array]> => {
      const start = performance.now();
      const output = tf.tidy(() => layer.apply(x) as TfCore.Tensor);
      const data = (await output.data()) as Float32Array;
      const ms = performance.now() - start;
      output.dispose();
      return [ms, data];
    };

    for (let i = 0; i < WARMUP; i++) {
      await timeFused();
      await timeBaseline();
    }
    const fusedTimes: number[] = [];
    const baselineTimes: number[] = [];
    let maxAbsDiff = 0;
    for (let i = 0; i < runs; i++) {
      // Alternate the order so neither op always runs right after the other's readback.
      const [[fMs, fData], [bMs, bData]] =
        i % 2 === 0
          ? [await timeFused(), await timeBaseline()]
          : await (async () => {
              const base = await timeBaseline();
              return [await timeFused(), base];
            })();
      fusedTimes.push(fMs);
      baselineTimes.push(bMs);
      if (i === 0) {
        // Timing a wrong result means nothing: the fused output must match tf.layers.simpleRNN's
        // within this backend's tolerance.
        expectArraysClose(fData, bData, tolerance, {
          what: `fused op against tf.layers.simpleRNN at ${JSON.stringify([batch, time, inputs, units])}`,
          shape: [batch, time, units],
        });
        maxAbsDiff = compareArrays(fData, bData, tolerance).largestError;
      }
    }
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

    const fusedMs = median(fusedTimes);
    const baselineMs = median(baselineTimes);
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
    });
    await options.log(`done ${JSON.stringify([batch, time, inputs, units])}`);
  }

  return {adapter, runtime: options.runtime, runs, warmup: WARMUP, reducedShapes, records};
}
