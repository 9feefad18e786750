/**
 * The README's benchmark pictures, drawn from bench/results/ (`npm run bench:charts`):
 *
 * - bench/charts/speedup.svg: the fused op's speedup over tf.layers.simpleRNN per shape, one bar per
 *   results file (runtime and adapter), on a log axis.
 * - bench/charts/cudnn-<env>.svg, for each `<runtime>-<env>.json` with a `cudnn-<env>.jsonl` beside it
 *   (PyTorch's cuDNN RNN on the same card, bench/cudnn_rnn.py): end-to-end and GPU times per shape.
 *
 * `--check` writes nothing and fails if a committed chart differs from what the results give.
 */
import {readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync} from 'node:fs';
import {join} from 'node:path';

import {barChart} from '../demo/web/svg_charts.js';
import type {BenchRecord, BenchReport} from './run.js';
import {isOrtReport} from './ort_table.js';

const RESULTS = join('bench', 'results');
const CHARTS = join('bench', 'charts');
const PALETTE = ['#e76f51', '#2a9d8f', '#264653', '#e9c46a', '#8d99ae', '#f4a261'];

/** One line of bench/cudnn_rnn.py's output. */
interface CudnnRecord {
  impl: string;
  tf32: boolean;
  B: number;
  T: number;
  I: number;
  H: number;
  median_ms: number;
  kernel_ms: number;
}

function shapeLabel(r: {batch: number; time: number; inputs: number; units: number}): string {
  return `batch ${r.batch}, ${r.time} steps, ${r.inputs} → ${r.units}`;
}

function shapeKey(batch: number, time: number, inputs: number, units: number): string {
  return [batch, time, inputs, units].join('x');
}

/** 'Node, nvidia-h100-80gb-hbm3' or 'Chromium 156, swiftshader': where the figures come from. */
function environmentLabel(report: BenchReport): string {
  const runtime = report.runtime.startsWith('node')
    ? 'Node (Dawn)'
    : report.runtime.replace(/^(\S+ \d+).*$/, '$1');
  const adapter = report.adapter.architecture || report.adapter.device || report.adapter.vendor;
  return `${runtime}, ${adapter} (${report.records[0]?.backend ?? 'no records'})`;
}

function readReports(): Array<{file: string; report: BenchReport}> {
  return (
    readdirSync(RESULTS)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((file) => ({file, report: JSON.parse(readFileSync(join(RESULTS, file), 'utf8')) as unknown}))
      // Only the fused-against-layers runs: the ONNX Runtime comparison (bench/ort.ts) is a table of its
      // own, and a GPU machine's host-time call (run-host-time-*.json) only describes that call.
      .filter(
        (entry): entry is {file: string; report: BenchReport} =>
          !isOrtReport(entry.report) && Array.isArray((entry.report as {records?: unknown}).records),
      )
  );
}

function speedupChart(reports: ReadonlyArray<{report: BenchReport}>): string {
  const keys: string[] = [];
  const labels = new Map<string, string>();
  for (const {report} of reports) {
    for (const r of report.records) {
      const key = shapeKey(r.batch, r.time, r.inputs, r.units);
      if (!labels.has(key)) keys.push(key);
      labels.set(key, shapeLabel(r));
    }
  }
  return barChart({
    title: 'Speedup of the fused op over tf.layers.simpleRNN, same backend and weights (log scale)',
    categories: keys.map((k) => labels.get(k)!),
    series: reports.map(({report}, i) => {
      const byShape = new Map(report.records.map((r) => [shapeKey(r.batch, r.time, r.inputs, r.units), r]));
      return {
        name: environmentLabel(report),
        color: PALETTE[i % PALETTE.length],
        values: keys.map((k) => byShape.get(k)?.speedup ?? null),
      };
    }),
    format: (v) => `${v.toFixed(1)}x`,
    scale: 'log',
    reference: {value: 1, label: 'as fast'},
    width: 760,
  });
}

function cudnnChart(report: BenchReport, cudnn: CudnnRecord[]): string {
  // TF32 changes the arithmetic; only full float32 figures compare with ours.
  const byShape = new Map(cudnn.filter((c) => !c.tf32).map((c) => [shapeKey(c.B, c.T, c.I, c.H), c]));
  const records = report.records.filter((r) => byShape.has(shapeKey(r.batch, r.time, r.inputs, r.units)));
  if (records.length === 0) throw new Error(`no shape of ${report.runtime} has a cuDNN figure`);
  const cudnnOf = (r: BenchRecord) => byShape.get(shapeKey(r.batch, r.time, r.inputs, r.units))!;
  return barChart({
    title: `Time per call on ${report.adapter.device || report.adapter.vendor}: fused op, cuDNN, tf.layers.simpleRNN (log scale)`,
    categories: records.map(shapeLabel),
    series: [
      {
        name: 'fused op (WebGPU), call to data on the host',
        color: PALETTE[0],
        values: records.map((r) => r.fusedMs),
      },
      ...(records.every((r) => r.fusedGpuMs != null)
        ? [
            {
              name: 'fused op, GPU time (timestamp queries)',
              color: PALETTE[3],
              values: records.map((r) => r.fusedGpuMs!),
            },
          ]
        : []),
      {
        name: 'torch.nn.RNN on cuDNN, call to y.cpu()',
        color: PALETTE[2],
        values: records.map((r) => cudnnOf(r).median_ms),
      },
      {name: 'cuDNN kernel alone', color: PALETTE[4], values: records.map((r) => cudnnOf(r).kernel_ms)},
      {
        name: 'tf.layers.simpleRNN (WebGPU)',
        color: PALETTE[1],
        values: records.map((r) => r.baselineMs),
      },
    ],
    format: (v) => (v >= 10 ? `${v.toFixed(0)} ms` : `${v.toPrecision(2)} ms`),
    scale: 'log',
    width: 760,
  });
}

function charts(): Map<string, string> {
  const reports = readReports();
  if (reports.length === 0) throw new Error(`no results in ${RESULTS}`);
  const out = new Map<string, string>([['speedup.svg', speedupChart(reports)]]);
  for (const {file, report} of reports) {
    const env = file.replace(/^[^-]+-/, '').replace(/\.json$/, '');
    const cudnnFile = join(RESULTS, `cudnn-${env}.jsonl`);
    if (!existsSync(cudnnFile)) continue;
    const lines = readFileSync(cudnnFile, 'utf8')
      .split('\n')
      .filter((l) => l.trim());
    out.set(
      `cudnn-${env}.svg`,
      cudnnChart(
        report,
        lines.map((l) => JSON.parse(l) as CudnnRecord),
      ),
    );
  }
  return out;
}

const check = process.argv.includes('--check');
const stale: string[] = [];
mkdirSync(CHARTS, {recursive: true});
for (const [name, svg] of charts()) {
  const path = join(CHARTS, name);
  const text = svg + '\n';
  if (check) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== text) stale.push(path);
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
if (stale.length > 0) {
  console.error(`out of date with bench/results (npm run bench:charts rewrites them): ${stale.join(', ')}`);
  process.exitCode = 1;
}
