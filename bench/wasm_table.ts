/**
 * The wasm rows' report and their extra table (the fused op against the plain loop), apart from
 * bench/wasm.ts so the Chromium runner's server prints them without bundling tfjs.
 */
import type {BenchRecord, BenchReport} from './run.js';

export interface WasmBenchRecord extends BenchRecord {
  /** The plain JavaScript loop at this shape (median, same runs and warm-up). */
  plainLoopMs: number;
}

export interface WasmBenchReport extends BenchReport {
  records: WasmBenchRecord[];
}

/** The fused op against the plain loop, one row per shape. */
export function formatPlainLoopTable(report: WasmBenchReport): string[] {
  const rows = report.records.map((r) => {
    const shape = `[${r.batch}, ${r.time}, ${r.inputs}, ${r.units}]`;
    const ratio = (r.fusedMs / r.plainLoopMs).toFixed(2);
    return `${shape.padEnd(22)}  fused ${r.fusedMs.toFixed(3)} ms  plain loop ${r.plainLoopMs.toFixed(3)} ms  fused / plain ${ratio}`;
  });
  return [
    '\nwasm: the fused op against a plain JavaScript Float32Array loop (same shape, tanh, no tfjs):',
    ...rows,
  ];
}
