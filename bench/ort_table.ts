/**
 * The report of the ONNX Runtime Web comparison (bench/ort.ts) and its table, apart from that file so
 * the Chromium runner's server prints and writes it without bundling tfjs or ONNX Runtime.
 */

export interface OrtRecord {
  batch: number;
  time: number;
  inputs: number;
  units: number;
  bidirectional: boolean;
  /** Our op on tfjs-backend-wasm, tf.tensor3d to await data() (median). */
  oursMs: number;
  /** ONNX Runtime Web's wasm RNN, new Tensor to session.run's outputs as data (median). */
  ortMs: number;
  /** Our op on its previous path (flag SINGLE_GATE_RNN_WASM_FUSED off): XNNPACK and JavaScript. */
  beforeMs: number;
  /** oursMs / ortMs: below 1 means ours is faster. */
  ratio: number;
  /** Largest difference between the two outputs. */
  maxAbsDiff: number;
}

export interface OrtReport {
  kind: 'ort';
  runtime: string;
  /** onnxruntime-web's version and the threads both sides ran on. */
  ortVersion: string;
  threads: number;
  simd: boolean;
  /** Which build of our fused module ran: 'relaxed SIMD (FMA)', 'SIMD', or none (fallback path). */
  ourModule?: string;
  runs: number;
  warmup: number;
  /** The host's load average (1, 5, 15 minutes) before and after the run, where the runner knows it. */
  loadAverageBefore?: number[];
  loadAverageAfter?: number[];
  records: OrtRecord[];
}

export function isOrtReport(report: unknown): report is OrtReport {
  return (report as {kind?: unknown}).kind === 'ort';
}

/** A markdown table, one row per shape. */
export function formatOrtTable(report: OrtReport): string[] {
  const load = (l?: number[]) => (l ? l.map((v) => v.toFixed(2)).join(' ') : 'unknown');
  const rows = report.records.map((r) => {
    const shape = `${r.bidirectional ? 'bidirectional ' : ''}${r.batch},${r.time},${r.inputs},${r.units}`;
    return `| ${shape} | ${r.oursMs.toFixed(3)} | ${r.ortMs.toFixed(3)} | ${r.ratio.toFixed(2)} | ${r.beforeMs.toFixed(3)} | ${(r.beforeMs / r.ortMs).toFixed(2)} | ${r.maxAbsDiff.toExponential(1)} |`;
  });
  return [
    `\nours (tfjs-backend-wasm) against ONNX Runtime Web ${report.ortVersion} (wasm), ${report.runtime}, ` +
      `${report.threads} thread, SIMD ${report.simd ? 'on' : 'off'}, our module ${report.ourModule ?? 'unknown'}, median of ${report.runs}, alternating:`,
    `load average before: ${load(report.loadAverageBefore)}, after: ${load(report.loadAverageAfter)}`,
    '| B,T,I,H | ours ms | ORT ms | ours/ORT | before ms | before/ORT | max diff |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
}
