/**
 * The image variant's rows of the benchmark, for both runners (bench/node.ts, bench/browser.ts): the
 * op `singleGateConvRNN` on its fused kernel against the same computation in stock tfjs ops on the same backend,
 * as a tfjs user would write it: conv(x_t, W) + b for all steps in one conv2d, then per step a conv2d
 * of h_{t-1} with U, an add and tanh, and the steps stacked into the output. Same weights and inputs,
 * float32 weights, tanh; the fused output must match the stock one within the backend's tolerance
 * (test/util/tolerance.ts) or the run stops.
 *
 * Timed as bench/run.ts times: from the call to the output's data on the host, after warm-up,
 * alternating which goes first; the median of the runs. Prints a table and one JSON line per shape
 * (through `log`). Shapes are (batch, time, height, width, in, out, k), W and U both k x k.
 *
 * On a software adapter (SwiftShader, lavapipe) a reduced set of small shapes runs, with fewer runs,
 * unless CONV_SHAPES='[[batch,time,height,width,in,out,k],...]' (read by the Node runner) says which.
 */
import type * as TfCore from '@tensorflow/tfjs-core';

import {planConvRecurrence} from '../kernels/webgpu/conv/strategy.js';
import {leadingPad} from '../src/contracts/image_kernel.js';
import type {singleGateConvRNN as SingleGateConvRNNOp} from '../src/index.js';
import {compareArrays, expectArraysClose} from '../test/util/close.js';
import {Random} from '../test/util/random.js';
import {toleranceFor} from '../test/util/tolerance.js';
import {
  type BenchOptions,
  DEFAULT_RUNS,
  describeAdapterFields,
  gpuMs,
  isSoftwareAdapter,
  WARMUP,
} from './run.js';

export type ConvShape = [
  batch: number,
  time: number,
  height: number,
  width: number,
  inputs: number,
  outputs: number,
  k: number,
];

/** Issue 9's shapes: a mid-size image, a large one with batch 4, a 5x5 window, a long small-image sequence. */
export const CONV_SHAPES: ConvShape[] = [
  [1, 16, 32, 32, 8, 16, 3],
  [4, 10, 64, 64, 16, 16, 3],
  [8, 20, 16, 16, 32, 32, 5],
  [1, 100, 8, 8, 32, 32, 3],
];
/** Small enough for a CPU-emulated adapter to finish in a few minutes; both strategies. */
export const CONV_SOFTWARE_SHAPES: ConvShape[] = [
  [1, 16, 8, 8, 8, 8, 3],
  // 40x40x8 floats exceed a workgroup's memory: the stepwise recurrence.
  [1, 6, 40, 40, 4, 8, 3],
  [2, 6, 8, 8, 8, 8, 5],
];
const SOFTWARE_RUNS = 5;

export interface ConvBenchRecord {
  shape: ConvShape;
  /** The recurrence's plan on this adapter: 'persistent' or 'stepwise' (kernels/webgpu/conv/strategy.ts). */
  strategy: string;
  fusedMs: number;
  /** The stock tfjs ops. */
  baselineMs: number;
  /**
   * GPU time of one call (timestamp queries: tf.time's kernelMs, the sum over the call's programs),
   * median; null where the adapter has no timestamp queries.
   */
  fusedGpuMs: number | null;
  baselineGpuMs: number | null;
  speedup: number;
  maxAbsDiff: number;
  backend: string;
  adapter: string;
}

export interface ConvBenchReport {
  adapter: Record<string, string>;
  runtime: string;
  runs: number;
  warmup: number;
  reducedShapes: boolean;
  records: ConvBenchRecord[];
}

/** CONV_SHAPES from the environment, when set. */
export function convShapesFromEnv(env: Record<string, string | undefined>): ConvShape[] | undefined {
  return env.CONV_SHAPES ? (JSON.parse(env.CONV_SHAPES) as ConvShape[]) : undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs every shape on the current backend (webgpu, set and ready), then logs the table. */
export async function benchmarkConv(
  tf: typeof TfCore,
  singleGateConvRNN: typeof SingleGateConvRNNOp,
  options: Pick<BenchOptions, 'adapter' | 'runtime' | 'runs' | 'log'> & {shapes?: ConvShape[]},
): Promise<ConvBenchReport> {
  const software = isSoftwareAdapter(options.adapter);
  const reducedShapes = software && options.shapes == null;
  const shapes = options.shapes ?? (software ? CONV_SOFTWARE_SHAPES : CONV_SHAPES);
  const runs = options.runs ?? (software ? SOFTWARE_RUNS : DEFAULT_RUNS);
  const backend = tf.getBackend();
  const tolerance = toleranceFor(backend);
  const limits = (tf.backend() as unknown as {device: GPUDevice}).device.limits;
  if (reducedShapes) {
    await options.log(
      'Software adapter: the image variant runs a reduced set of small shapes (CONV_SHAPES).',
    );
  }

  const records: ConvBenchRecord[] = [];
  for (const shape of shapes) {
    const [batch, time, height, width, inputs, outputs, k] = shape;
    const random = new Random(shape.reduce((a, b) => a * 31 + b, 7));
    const fill = (n: number, scale: number): Float32Array => random.floats(n, -scale, scale);
    const x = tf.tensor5d(fill(batch * time * height * width * inputs, 1), [
      batch,
      time,
      height,
      width,
      inputs,
    ]);
    const w = tf.tensor4d(fill(outputs * k * k * inputs, 1 / Math.sqrt(k * k * inputs)), [
      outputs,
      k,
      k,
      inputs,
    ]);
    const u = tf.tensor4d(fill(outputs * k * k * outputs, 0.9 / Math.sqrt(k * k * outputs)), [
      outputs,
      k,
      k,
      outputs,
    ]);
    const b = tf.tensor1d(fill(outputs, 0.5));
    // tfjs' conv2d takes HWIO filters; MPS' (and the kernel's) are OHWI.
    const [wHwio, uHwio] = tf.tidy(() => [tf.transpose(w, [1, 2, 3, 0]), tf.transpose(u, [1, 2, 3, 0])]);
    const before = leadingPad(k, 'mps');
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [
      [0, 0],
      [before, k - 1 - before],
      [before, k - 1 - before],
      [0, 0],
    ];

    const fused = (): TfCore.Tensor[] => {
      const {output, finalState} = singleGateConvRNN(x, {
        inputFeatureChannels: inputs,
        outputFeatureChannels: outputs,
        useFloat32Weights: true,
        inputWeights: {weights: w, biasTerms: b, neuron: {type: 'tanh'}},
        recurrentWeights: {weights: u},
      });
      return [output, finalState];
    };
    const stock = (): TfCore.Tensor =>
      tf.tidy(() => {
        const projected = tf.add(
          tf.conv2d(tf.reshape<TfCore.Rank.R4>(x, [batch * time, height, width, inputs]), wHwio, 1, pad),
          b,
        );
        const p = tf.reshape(projected, [batch, time, height, width, outputs]);
        let h: TfCore.Tensor4D = tf.zeros([batch, height, width, outputs]);
        const steps: TfCore.Tensor4D[] = [];
        for (let t = 0; t < time; t++) {
          const pt = tf.reshape<TfCore.Rank.R4>(tf.slice(p, [0, t], [batch, 1]), [
            batch,
            height,
            width,
            outputs,
          ]);
          h = tf.tanh(tf.add<TfCore.Tensor4D>(pt, tf.conv2d(h, uHwio, 1, pad)));
          steps.push(h);
        }
        return tf.stack(steps, 1);
      });
    const timeFused = async (): Promise<[number, Float32Array]> => {
      const start = performance.now();
      const [output, finalState] = fused();
      const data = (await output.data()) as Float32Array;
      const ms = performance.now() - start;
      tf.dispose([output, finalState]);
      return [ms, data];
    };
    const timeStock = async (): Promise<[number, Float32Array]> => {
      const start = performance.now();
      const output = stock();
      const data = (await output.data()) as Float32Array;
      const ms = performance.now() - start;
      output.dispose();
      return [ms, data];
    };

    for (let i = 0; i < WARMUP; i++) {
      await timeFused();
      await timeStock();
    }
    const fusedTimes: number[] = [];
    const stockTimes: number[] = [];
    let maxAbsDiff = 0;
    for (let i = 0; i < runs; i++) {
      // Alternate the order so neither always runs right after the other's readback.
      const [[fMs, fData], [sMs, sData]] =
        i % 2 === 0
          ? [await timeFused(), await timeStock()]
          : await (async () => {
              const s = await timeStock();
              return [await timeFused(), s];
            })();
      fusedTimes.push(fMs);
      stockTimes.push(sMs);
      if (i === 0) {
        expectArraysClose(fData, sData, tolerance, {
          what: `singleGateConvRNN against stock tfjs ops at ${JSON.stringify(shape)}`,
          shape: [batch, time, height, width, outputs],
        });
        maxAbsDiff = compareArrays(fData, sData, tolerance).largestError;
      }
    }
    const gpuTimes = async (call: () => TfCore.Tensor[], samples: number): Promise<number | null> => {
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const ms = await gpuMs(tf, call);
        if (ms == null) return null;
        times.push(ms);
      }
      return median(times);
    };
    const fusedGpuMs = await gpuTimes(fused, runs);
    // The stock ops run several programs a step, each timed (and submitted) on its own: fewer samples.
    const baselineGpuMs = await gpuTimes(() => [stock()], Math.min(runs, 5));
    tf.dispose([x, w, u, b, wHwio, uHwio]);

    const plan = planConvRecurrence(
      {batch, time, height, width, channels: outputs, kernelHeight: k, kernelWidth: k},
      limits,
    );
    const record: ConvBenchRecord = {
      shape,
      strategy: plan.strategy,
      fusedMs: median(fusedTimes),
      baselineMs: median(stockTimes),
      fusedGpuMs,
      baselineGpuMs,
      speedup: median(stockTimes) / median(fusedTimes),
      maxAbsDiff,
      backend,
      adapter: describeAdapterFields(options.adapter),
    };
    records.push(record);
    await options.log(JSON.stringify({impl: 'singleGateConvRNN', runtime: options.runtime, ...record}));
  }
  const report = {
    adapter: options.adapter,
    runtime: options.runtime,
    runs,
    warmup: WARMUP,
    reducedShapes,
    records,
  };
  for (const line of formatConvTable(report)) await options.log(line);
  return report;
}

/** The table's lines: a caption, the header, then one row per shape. */
export function formatConvTable(report: ConvBenchReport): string[] {
  const header = [
    'backend',
    'batch',
    'time',
    'height',
    'width',
    'in',
    'out',
    'k',
    'strategy',
    'fused ms',
    'tfjs ops ms',
    'fused GPU ms',
    'tfjs ops GPU ms',
    'speedup',
    'max |diff|',
  ];
  const rows = report.records.map((r) => [
    r.backend,
    ...r.shape.map(String),
    r.strategy,
    r.fusedMs.toFixed(3),
    r.baselineMs.toFixed(3),
    r.fusedGpuMs?.toFixed(3) ?? '-',
    r.baselineGpuMs?.toFixed(3) ?? '-',
    `${r.speedup.toFixed(2)}x`,
    r.maxAbsDiff.toExponential(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  return [
    `\nsingleGateConvRNN against stock tfjs ops (conv2d, add, tanh per step), ${report.runtime}, ` +
      `${describeAdapterFields(report.adapter)}; median of ${report.runs} runs, call to data on the host (GPU: timestamp queries):`,
    line(header),
    ...rows.map(line),
  ];
}
