/**
 * Line and bar charts as SVG text, with no DOM: the demo page puts them in the page, and
 * bench/plot.ts writes the README's benchmark pictures with the same code in Node.
 *
 * Each series carries its values in `data-values` (and each chart its kind in `data-chart`), so a test
 * reads back what was drawn instead of parsing coordinates.
 */

export interface LineSeries {
  name: string;
  color: string;
  /** [x, y] pairs, in order of x. */
  points: ReadonlyArray<readonly [number, number]>;
  dashed?: boolean;
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  width?: number;
  height?: number;
}

export interface BarSeries {
  name: string;
  color: string;
  /** One value per category; null draws no bar (no figure for that category). */
  values: ReadonlyArray<number | null>;
}

export interface BarChartSpec {
  title: string;
  /** One row of bars per category, one bar per series. */
  categories: readonly string[];
  series: readonly BarSeries[];
  /** How a value is written next to its bar, e.g. `(v) => v.toFixed(1) + ' ms'`. */
  format: (value: number) => string;
  /** Bars grow from 0 on a linear axis, or on a log axis (for speedups spanning decades). */
  scale?: 'linear' | 'log';
  /** A vertical line, e.g. at 1x. */
  reference?: {value: number; label: string};
  width?: number;
}

const FONT = 'font-family="system-ui, sans-serif" font-size="12"';
const MARGIN = {top: 50, right: 16, bottom: 40, left: 52};

/** Text for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Round figures for coordinates: enough for a picture, short in a committed file. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** About `count` round tick values covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function frame(width: number, height: number, title: string, kind: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
      `role="img" aria-label="${escapeXml(title)}" data-chart="${kind}" ${FONT}>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** Legend entries side by side in one row (below the title), or one per line when `stacked`. */
function legend(
  items: ReadonlyArray<{name: string; color: string}>,
  x: number,
  y: number,
  stacked = false,
): string[] {
  let offset = 0;
  return items.map((item, i) => {
    const at = stacked ? `${n(x)},${n(y + i * 16)}` : `${n(x + offset)},${n(y)}`;
    offset += 30 + 7 * item.name.length;
    return (
      `<g transform="translate(${at})"><rect width="10" height="10" fill="${item.color}"/>` +
      `<text x="14" y="9">${escapeXml(item.name)}</text></g>`
    );
  });
}

/** A line chart of several series over a shared x axis. */
export function lineChart(spec: LineChartSpec): string {
  const width = spec.width ?? 640;
  const height = spec.height ?? 300;
  const all = spec.series.flatMap((s) => s.points);
  if (all.length === 0) throw new Error(`lineChart '${spec.title}': every series is empty`);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const yTicks = niceTicks(Math.min(...ys), Math.max(...ys));
  const [y0, y1] = [Math.min(yTicks[0], ...ys), Math.max(yTicks[yTicks.length - 1], ...ys)];
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + (x1 > x0 ? ((x - x0) / (x1 - x0)) * plotW : plotW / 2);
  const sy = (y: number) => MARGIN.top + (y1 > y0 ? (1 - (y - y0) / (y1 - y0)) * plotH : plotH / 2);

  const body: string[] = [];
  for (const t of yTicks) {
    body.push(
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${n(sy(t))}" y2="${n(sy(t))}" stroke="#e5e5e5"/>`,
      `<text x="${MARGIN.left - 6}" y="${n(sy(t) + 4)}" text-anchor="end">${t}</text>`,
    );
  }
  for (const t of niceTicks(x0, x1, 8)) {
    body.push(`<text x="${n(sx(t))}" y="${height - MARGIN.bottom + 16}" text-anchor="middle">${t}</text>`);
  }
  body.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    `<text transform="translate(14,${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(spec.yLabel)}</text>`,
  );
  for (const s of spec.series) {
    const points = s.points.map(([x, y]) => `${n(sx(x))},${n(sy(y))}`).join(' ');
    const values = JSON.stringify(s.points.map(([x, y]) => [x, y]));
    body.push(
      `<polyline data-series="${escapeXml(s.name)}" data-values="${escapeXml(values)}" fill="none" ` +
        `stroke="${s.color}" stroke-width="2"${s.dashed === true ? ' stroke-dasharray="5 4"' : ''} points="${points}"/>`,
    );
  }
  body.push(...legend(spec.series, MARGIN.left, 30));
  return frame(width, height, spec.title, 'line', body);
}

/** Horizontal bars: a row per category, a bar per series, each labelled with its value. */
export function barChart(spec: BarChartSpec): string {
  const width = spec.width ?? 640;
  const log = spec.scale === 'log';
  const values = spec.series.flatMap((s) => s.values).filter((v): v is number => v != null);
  if (values.length === 0) throw new Error(`barChart '${spec.title}': no values`);
  for (const s of spec.series) {
    if (s.values.length !== spec.categories.length) {
      throw new Error(
        `barChart '${spec.title}': series '${s.name}' has ${s.values.length} values for ${spec.categories.length} categories`,
      );
    }
    if (s.values.some((v) => v != null && (!Number.isFinite(v) || v < 0 || (log && v <= 0)))) {
      throw new Error(
        `barChart '${spec.title}': series '${s.name}' holds a value a bar cannot show: ${s.values.join(', ')}`,
      );
    }
  }
  const barH = 16;
  const rowBars = spec.categories.map((_, c) => spec.series.filter((s) => s.values[c] != null).length);
  const rowH = (bars: number) => bars * (barH + 3) + 12;
  const rowsH = rowBars.reduce((sum, bars) => sum + rowH(bars), 0);
  const left = 8 + 7 * Math.max(...spec.categories.map((c) => c.length));
  const legendH = spec.series.length * 16 + 8;
  const height = 34 + legendH + rowsH + (spec.reference != null ? 24 : 4);
  const plotW = width - left - 70;
  const top = 34 + legendH;
  const reference = spec.reference?.value;
  const hi = Math.max(...values, reference ?? 0);
  const lo = log ? Math.min(...values, reference ?? Infinity) / 2 : 0;
  const sx = log
    ? (v: number) => left + (Math.log(v / lo) / Math.log((hi * 1.05) / lo)) * plotW
    : (v: number) => left + (v / (hi * 1.05)) * plotW;

  const body: string[] = [...legend(spec.series, left, 34, true)];
  spec.categories.forEach((category, c) => {
    const y = top + rowBars.slice(0, c).reduce((sum, bars) => sum + rowH(bars), 0);
    body.push(
      `<text x="${left - 6}" y="${n(y + (rowBars[c] * (barH + 3)) / 2 + 2)}" text-anchor="end">${escapeXml(category)}</text>`,
    );
    // Bars without a figure leave no gap: the ones present stack from the top of the row.
    const present = spec.series.filter((s) => s.values[c] != null);
    present.forEach((s, k) => {
      const v = s.values[c]!;
      const by = y + k * (barH + 3);
      const w = Math.max(1, sx(v) - left);
      body.push(
        `<rect x="${left}" y="${n(by)}" width="${n(w)}" height="${barH}" fill="${s.color}"/>`,
        `<text x="${n(left + w + 4)}" y="${n(by + barH - 4)}">${escapeXml(spec.format(v))}</text>`,
      );
    });
  });
  for (const s of spec.series) {
    // Invisible carrier of the drawn values, read by the page test.
    body.push(`<g data-series="${escapeXml(s.name)}" data-values="${escapeXml(JSON.stringify(s.values))}"/>`);
  }
  if (spec.reference != null && reference != null) {
    const x = n(sx(reference));
    const bottom = top + rowsH;
    body.push(
      `<line x1="${x}" x2="${x}" y1="${top - 4}" y2="${bottom}" stroke="#444" stroke-dasharray="4 3"/>`,
      `<text x="${x}" y="${bottom + 14}" text-anchor="middle">${escapeXml(spec.reference.label)}</text>`,
    );
  }
  return frame(width, height, spec.title, 'bar', body);
}
