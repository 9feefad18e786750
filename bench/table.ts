/**
 * The results table both runners print, so a Node run and a browser run read the same way.
 */
import type {BenchReport} from './run.js';

/** The table's lines: a caption, the header, then one row per shape. */
export function formatTable(report: BenchReport): string[] {
  const header = [
    'backend',
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
  const rows = report.records.map((r) => [
    r.backend,
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
  return [`\nmedian of ${report.runs} runs, call to data on the host:`, line(header), ...rows.map(line)];
}
