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
  /** Our op on its previous path (flag SINGLE_GATE_RNN_WASM_FUSED off): XNNPACK and JavaScript; 1 thread. */
  beforeMs?: number;
  /** With threads: our op on one thread (the same workers started, WASM_THREADS_FLAG 'off'). */
  oursOneThreadMs?: number;
  /** With threads: ORT with session.intra_op.allow_spinning '0' (its threads sleep between work). */
  ortNoSpinMs?: number;
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
  /** In a browser: whether the page was cross-origin isolated (threads need it). */
  crossOriginIsolated?: boolean;
  /**
   * In Chromium: the wasm binaries and loaders the page fetched, in order (tfjs' under /wasm/, ORT's
   * under /ort/), which tells which build each ran: tfjs-backend-wasm takes its threaded SIMD binary on
   * an isolated page.
   */
  binaries?: string[];
  records: OrtRecord[];
}

export function isOrtReport(report: unknown): report is OrtReport {
  return (report as {kind?: unknown}).kind === 'ort';
}

/** The run's conditions under the title: the host's load and, in a browser, isolation and binaries. */
function conditionLines(report: OrtReport): string[] {
  const load = (l?: number[]) => (l ? l.map((v) => v.toFixed(2)).join(' ') : 'unknown');
  const lines = [
    `load average before: ${load(report.loadAverageBefore)}, after: ${load(report.loadAverageAfter)}`,
  ];
  if (report.crossOriginIsolated != null) lines.push(`cross-origin isolated: ${report.crossOriginIsolated}`);
  if (report.binaries != null) lines.push(`wasm files fetched: ${report.binaries.join(', ') || 'none'}`);
  return lines;
}

/** A markdown table, one row per shape. */
export function formatOrtTable(report: OrtReport): string[] {
  if (report.threads > 1) return formatThreadsTable(report);
  const rows = report.records.map((r) => {
    const shape = `${r.bidirectional ? 'bidirectional ' : ''}${r.batch},${r.time},${r.inputs},${r.units}`;
    const before = r.beforeMs ?? Number.NaN;
    return `| ${shape} | ${r.oursMs.toFixed(3)} | ${r.ortMs.toFixed(3)} | ${r.ratio.toFixed(2)} | ${before.toFixed(3)} | ${(before / r.ortMs).toFixed(2)} | ${r.maxAbsDiff.toExponential(1)} |`;
  });
  return [
    `\nours (tfjs-backend-wasm) against ONNX Runtime Web ${report.ortVersion} (wasm), ${report.runtime}, ` +
      `${report.threads} thread, SIMD ${report.simd ? 'on' : 'off'}, our module ${report.ourModule ?? 'unknown'}, median of ${report.runs}, alternating:`,
    ...conditionLines(report),
    '| B,T,I,H | ours ms | ORT ms | ours/ORT | before ms | before/ORT | max diff |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
}

/** With threads: ours on n threads and on 1, ORT on n threads spinning (its default) and not. */
function formatThreadsTable(report: OrtReport): string[] {
  const n = report.threads;
  const ms = (v?: number) => (v ?? Number.NaN).toFixed(3);
  const rows = report.records.map((r) => {
    const shape = `${r.bidirectional ? 'bidirectional ' : ''}${r.batch},${r.time},${r.inputs},${r.units}`;
    const noSpin = r.ortNoSpinMs ?? Number.NaN;
    const one = r.oursOneThreadMs ?? Number.NaN;
    return (
      `| ${shape} | ${ms(r.oursMs)} | ${ms(one)} | ${ms(r.ortMs)} | ${ms(noSpin)} | ${r.ratio.toFixed(2)} | ` +
      `${(r.oursMs / noSpin).toFixed(2)} | ${(r.oursMs / one).toFixed(2)} | ${r.maxAbsDiff.toExponential(1)} |`
    );
  });
  return [
    `\nours (tfjs-backend-wasm) against ONNX Runtime Web ${report.ortVersion} (wasm), ${report.runtime}, ` +
      `${n} threads each, SIMD ${report.simd ? 'on' : 'off'}, our module ${report.ourModule ?? 'unknown'}, median of ${report.runs}, alternating:`,
    ...conditionLines(report),
    `| B,T,I,H | ours ${n}T ms | ours 1T ms | ORT ${n}T ms | ORT ${n}T no spin ms | ours/ORT | ours/ORT no spin | ours ${n}T/1T | max diff |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
}
