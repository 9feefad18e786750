/**
 * Benchmark: the fused SingleGateRNN op against tf.layers.simpleRNN (tfjs-layers), same backend, same
 * weights and inputs (SimpleRNN kernel = Wᵀ, recurrent kernel = Uᵀ, bias b, tanh; the fused op with
 * useFloat32Weights so both compute in float32).
 *
 * Each timing runs from the call to the output's data on the host (`await data()`), after warm-up,
 * alternating which of the two goes first; the median of the runs is reported. Prints a table and writes
 * JSON (one record per shape, plus the adapter) to bench/results/<environment>.json.
 *
 * Options (environment variables):
 *   SHAPES='[[batch,time,inputs,units],...]'  shapes to run (default: the full set on a GPU, a reduced
 *                                            set of small shapes on a software adapter)
 *   RUNS=n            timed runs per op and shape (default 20, at least 20 unless set lower here)
 *   BENCH_OUT=dir     where the JSON goes (default bench/results)
 *   BENCH_ENV=name    the file name's environment part (default derived from the adapter)
 *   TFJS_FLAGS='{...}' tfjs flags to set first, e.g. '{"WEBGPU_CPU_FORWARD":false}'
 */
import {adapterFields, installNavigatorGpu} from '../node/backend.js';

type Shape = [batch: number, time: number, inputs: number, units: number];

const FULL_SHAPES: Shape[] = [
  [1, 100, 64, 128],
  [32, 100, 256, 256],
  [64, 256, 512, 512],
  [1, 1000, 128, 128],
  [1, 672, 32, 32],
  [16, 50, 1024, 1024],
];
/** Small enough for a CPU-emulated adapter to finish in minutes. */
const SOFTWARE_SHAPES: Shape[] = [
  [1, 20, 16, 32],
  [4, 16, 32, 64],
  [1, 64, 8, 16],
];
const WARMUP = 3;

interface BenchRecord {
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

async function main(): Promise<void> {
  const gpu = await installNavigatorGpu();
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js');
  await import('@tensorflow/tfjs-backend-webgpu');
  const tfl = await import('@tensorflow/tfjs-layers');
  const {singleGateRNN} = await import('../src/index.js');
  const fs = await import('node:fs');
  const path = await import('node:path');

  if (!(await tf.setBackend('webgpu'))) {
    console.log('No WebGPU adapter: nothing to benchmark.');
    return;
  }
  await tf.ready();
  if (process.env.TFJS_FLAGS)
    tf.env().setFlags(JSON.parse(process.env.TFJS_FLAGS) as Record<string, boolean>);
  const adapter = adapterFields((await gpu.requestAdapter({powerPreference: 'high-performance'}))?.info);
  const adapterDescription = Object.values(adapter)
    .filter((v) => v)
    .join(' / ');
  const software = /swiftshader|llvmpipe|lavapipe/i.test(JSON.stringify(adapter));
  const shapes: Shape[] = process.env.SHAPES
    ? (JSON.parse(process.env.SHAPES) as Shape[])
    : software
      ? SOFTWARE_SHAPES
      : FULL_SHAPES;
  const runs = Number(process.env.RUNS ?? 20);
  console.log(`adapter: ${JSON.stringify(adapter)}`);
  if (software && !process.env.SHAPES) {
    console.log('Software adapter: running a reduced set of small shapes; the full set is for a real GPU.');
  }

  const records: BenchRecord[] = [];
  for (const [batch, time, inputs, units] of shapes) {
    const rand = seeded(batch * 1000003 + time * 1009 + inputs * 31 + units);
    const fill = (n: number, scale: number): Float32Array =>
      Float32Array.from({length: n}, () => rand() * scale);
    const x = tf.tensor3d(fill(batch * time * inputs, 1), [batch, time, inputs]);
    const w = tf.tensor2d(fill(units * inputs, 1 / Math.sqrt(inputs)), [units, inputs]);
    const u = tf.tensor2d(fill(units * units, 0.9 / Math.sqrt(units)), [units, units]);
    const b = tf.tensor1d(fill(units, 0.5));

    const layer = tfl.layers.simpleRNN({units, activation: 'tanh', returnSequences: true, useBias: true});
    // Applying once builds the layer (creates its weights), which setWeights needs.
    tf.dispose(tf.tidy(() => layer.apply(x) as InstanceType<typeof tf.Tensor>));
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
      const output = tf.tidy(() => layer.apply(x) as InstanceType<typeof tf.Tensor>);
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
        for (let k = 0; k < fData.length; k++)
          maxAbsDiff = Math.max(maxAbsDiff, Math.abs(fData[k] - bData[k]));
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
    console.log(`done ${JSON.stringify([batch, time, inputs, units])}`);
  }

  const header = [
    'batch',
    'time',
    'inputs',
    'units',
    'fused ms',
    'simpleRNN ms',
    'speedup',
    'max |diff|',
    'readback floor ms',
  ];
  const rows = records.map((r) => [
    String(r.batch),
    String(r.time),
    String(r.inputs),
    String(r.units),
    r.fusedMs.toFixed(3),
    r.baselineMs.toFixed(3),
    `${r.speedup.toFixed(2)}x`,
    r.maxAbsDiff.toExponential(2),
    r.readbackFloorMs.toFixed(3),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(`\nmedian of ${runs} runs (backend ${tf.getBackend()}), call to data on the host:`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));

  const environment =
    process.env.BENCH_ENV ??
    ['node', adapter.vendor, adapter.architecture || adapter.device]
      .filter((s) => s)
      .join('-')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/-+$/, '');
  const outDir = process.env.BENCH_OUT ?? path.join('bench', 'results');
  fs.mkdirSync(outDir, {recursive: true});
  const file = path.join(outDir, `${environment}.json`);
  const report = {
    adapter,
    runtime: `node ${process.version}`,
    runs,
    warmup: WARMUP,
    reducedShapes: software && !process.env.SHAPES,
    records,
  };
  fs.writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  console.log(`\nwrote ${file}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
