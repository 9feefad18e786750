/**
 * The results table both runners print, so a Node run and a browser run read the same way.
 */
import type {BenchRecord, BenchReport} from './run.js';

/** A column: its header and how a record shows in it ('-' where the run has no figure). */
type Column = [header: string, cell: (r: BenchRecord) => string];

const ms = (v: number | null | undefined): string => (v == null ? '-' : v.toFixed(3));

const COLUMNS: Column[] = [
  ['backend', (r) => r.backend],
  ['batch', (r) => String(r.batch)],
  ['time', (r) => String(r.time)],
  ['inputs', (r) => String(r.inputs)],
  ['units', (r) => String(r.units)],
  ['fused ms', (r) => ms(r.fusedMs)],
  ['fused GPU', (r) => ms(r.fusedGpuMs)],
  ['fused host', (r) => ms(r.fusedHostMs)],
  ['fused f16 ms', (r) => ms(r.float16?.callToDataMs)],
  ['f16 GPU', (r) => ms(r.float16?.gpuMs)],
  ['simpleRNN ms', (r) => ms(r.baselineMs)],
  ['simpleRNN GPU', (r) => ms(r.baselineGpuMs)],
  ['simpleRNN host', (r) => ms(r.baselineHostMs)],
  ['speedup', (r) => `${r.speedup.toFixed(2)}x`],
  ['max |diff|', (r) => r.maxAbsDiff.toExponential(2)],
  ['no-tfjs floor', (r) => ms(r.floorMs)],
  ['tf.add floor', (r) => ms(r.readbackFloorMs)],
];

/** The table's lines: a caption, the header, then one row per shape. */
export function formatTable(report: BenchReport): string[] {
  const header = COLUMNS.map(([h]) => h);
  const rows = report.records.map((r) => COLUMNS.map(([, cell]) => cell(r)));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  const resolution =
    report.timestampResolutionNs != null ? `; timestamps in steps of ${report.timestampResolutionNs} ns` : '';
  return [
    `\nmedian of ${report.runs} runs; ms = call to data on the host, host = call to the last submit, ` +
      `GPU = timestamp queries${resolution}:`,
    line(header),
    ...rows.map(line),
  ];
}
