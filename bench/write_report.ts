/**
 * Writes a report where both Node-side runners put it: BENCH_OUT (default bench/results), named
 * BENCH_ENV or else after the runtime and the adapter. Node only.
 */
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

import type {OrtReport} from './ort_table.js';
import {environmentName, type BenchReport} from './run.js';

/** Returns the file written. `runtime` names the runner in the file name: 'node', 'chromium'. */
export function writeReport(report: BenchReport, runtime: string): string {
  const environment = process.env.BENCH_ENV ?? environmentName(runtime, report.adapter);
  const outDir = process.env.BENCH_OUT ?? join('bench', 'results');
  mkdirSync(outDir, {recursive: true});
  const file = join(outDir, `${environment}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}

/**
 * Writes the ONNX Runtime comparison as BENCH_OUT/<runtime>-ort-wasm.json (-ort-wasm-threads<n>.json
 * on n threads); returns the file.
 */
export function writeOrtReport(report: OrtReport, runtime: string): string {
  const outDir = process.env.BENCH_OUT ?? join('bench', 'results');
  mkdirSync(outDir, {recursive: true});
  const threads = report.threads > 1 ? `-threads${report.threads}` : '';
  const file = join(outDir, `${runtime}-ort-wasm${threads}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}
