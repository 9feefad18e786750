/**
 * The markdown report of one host-time device call (bench/host_time_device.sh), from its files alone:
 * the card and driver, our op against cuDNN and ONNX Runtime Web per shape, our variants beside each
 * other, the per-program GPU breakdown, and the SM clock's histogram per step of the call.
 *
 * Usage: npx tsx bench/host_time_report.ts <folder>/run-host-time-<RUN>-<CARD>.json [--write]
 * prints the report; --write also writes it beside the run file as host-time-<RUN>-<CARD>.md.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';

type Row = Record<string, unknown>;

interface RunInfo {
  card: string;
  driver: string;
  date: string;
  node: string;
  cpu: string;
  variants: string;
}

/** The host-time fields the main table shows by name; any other numeric field gets a column of its own. */
const SHOWN = new Set([
  'B',
  'T',
  'I',
  'H',
  'callToDataMs',
  'callToDataRaisedMs',
  'callToDataSustainedMs',
  'returnMs',
  'floorMs',
  'gpuNaturalMs',
  'gpuBurstMs',
  'mismatches',
]);

function readJsonLines(path: string): Row[] | null {
  if (!existsSync(path)) return null;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
}

const shapeKey = (r: Row): string => [r.B, r.T, r.I, r.H].join(',');
const byShape = (rows: Row[] | null): Map<string, Row> => new Map((rows ?? []).map((r) => [shapeKey(r), r]));

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function ms(value: unknown): string {
  const v = num(value);
  return v == null ? '–' : v >= 10 ? v.toFixed(2) : v.toFixed(3);
}

function ratio(a: unknown, b: unknown): string {
  const x = num(a);
  const y = num(b);
  return x == null || y == null || y === 0 ? '–' : (x / y).toFixed(2);
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

/** The breakdown's GPU ms per call with the clocks raised (its own samples, at full clocks throughout). */
function breakdownBurstMs(row: Row | undefined): number | undefined {
  const burst = row?.burst as {totalMs?: unknown} | undefined;
  return num(burst?.totalMs) ?? undefined;
}

function mainTable(
  ours: Row[],
  cudnn: Map<string, Row>,
  ort: Map<string, Row>,
  breakdown: Map<string, Row>,
): string[] {
  const extras = [
    ...new Set(ours.flatMap((r) => Object.keys(r).filter((k) => !SHOWN.has(k) && num(r[k]) != null))),
  ];
  const header = [
    'B,T,I,H',
    'ours call→data',
    'return',
    'cuDNN call→data',
    'ratio',
    'ours call→data, clocks raised',
    'raised/cuDNN',
    'ours call→data, sustained',
    'sustained/cuDNN',
    'ours GPU burst',
    'GPU natural',
    'cuDNN kernel',
    'GPU/cuDNN kernel',
    'ours GPU, clocks held',
    'cuDNN kernel, clocks held',
    'held/held',
    'no-tfjs floor',
    'ORT-web wasm call→data',
    'ours/ORT',
    ...extras,
  ];
  const rows = ours.map((r) => {
    const c = cudnn.get(shapeKey(r)) ?? {};
    const o = ort.get(shapeKey(r)) ?? {};
    return [
      shapeKey(r),
      ms(r.callToDataMs),
      ms(r.returnMs),
      ms(c.median_ms),
      ratio(r.callToDataMs, c.median_ms),
      ms(r.callToDataRaisedMs),
      ratio(r.callToDataRaisedMs, c.median_ms),
      ms(r.callToDataSustainedMs),
      ratio(r.callToDataSustainedMs, c.median_ms),
      ms(r.gpuBurstMs),
      ms(r.gpuNaturalMs),
      ms(c.kernel_ms),
      ratio(r.gpuBurstMs, c.kernel_ms),
      ms(breakdownBurstMs(breakdown.get(shapeKey(r)))),
      ms(c.kernel_burst_ms),
      ratio(breakdownBurstMs(breakdown.get(shapeKey(r))), c.kernel_burst_ms),
      ms(r.floorMs),
      ms(o.ortMs),
      ratio(r.callToDataMs, o.ortMs),
      ...extras.map((k) => ms(r[k])),
    ];
  });
  return table(header, rows);
}

function variantTable(files: [string, Row[]][]): string[] {
  const header = ['B,T,I,H', ...files.flatMap(([name]) => [`${name}: call→data`, `${name}: GPU burst`])];
  const maps = files.map(([, rows]) => byShape(rows));
  const rows = files[0][1].map((r) => [
    shapeKey(r),
    ...maps.flatMap((m) => [ms(m.get(shapeKey(r))?.callToDataMs), ms(m.get(shapeKey(r))?.gpuBurstMs)]),
  ]);
  return table(header, rows);
}

type Programs = Record<string, {ms: number; dispatches: number}>;

/** A breakdown's programs as projection, recurrence and the rest (ms per call), and the rest's names. */
function split(programs: Programs): {
  projection: number;
  recurrence: number;
  dispatches: number;
  rest: number;
  others: string[];
} {
  const parts = {projection: 0, recurrence: 0, dispatches: 0, rest: 0, others: [] as string[]};
  for (const [name, p] of Object.entries(programs)) {
    if (/Projection/.test(name)) parts.projection += p.ms;
    else if (/Recurrence/.test(name)) {
      parts.recurrence += p.ms;
      parts.dispatches += p.dispatches;
    } else {
      parts.rest += p.ms;
      parts.others.push(name);
    }
  }
  return parts;
}

function breakdownTable(rows: Row[]): string[] {
  const others = new Set<string>();
  const body = rows.map((r) => {
    const burst = r.burst as {totalMs: number; programs: Programs};
    const natural = r.natural as {totalMs: number; programs: Programs};
    const b = split(burst.programs);
    const n = split(natural.programs);
    b.others.forEach((name) => others.add(name));
    return [
      shapeKey(r),
      ms(burst.totalMs),
      ms(b.projection),
      ms(b.recurrence),
      String(b.dispatches),
      ms(b.rest),
      `${((100 * b.projection) / burst.totalMs).toFixed(0)}%`,
      ms(natural.totalMs),
      ms(n.projection),
      ms(n.recurrence),
    ];
  });
  const header = [
    'B,T,I,H',
    'GPU burst',
    'projection',
    'recurrence',
    'recurrence dispatches',
    'rest',
    'projection share',
    'GPU natural',
    'projection natural',
    'recurrence natural',
  ];
  const note = others.size > 0 ? [``, `"rest": ${[...others].join(', ')}.`] : [];
  return [...table(header, body), ...note];
}

/** "1980 MHz x33, 345 MHz x3" per step of the call, from the clock log and the steps' start times. */
function clockLines(clocksPath: string, phasesPath: string): string[] {
  if (!existsSync(clocksPath)) return ['No SM clock log in this call (no nvidia-smi).'];
  const samples = readFileSync(clocksPath, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map((f) => f.trim()))
    .filter((f) => f.length >= 2 && f[1] !== '');
  const phases = existsSync(phasesPath)
    ? readFileSync(phasesPath, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\t') as [string, string])
    : [];
  // Timestamps in one format ("2026/12/06 04:46:17.414"), so they order as strings.
  const phaseOf = (stamp: string): string => {
    let name = 'before the first step';
    for (const [phase, start] of phases) if (start <= stamp) name = phase;
    return name;
  };
  const histograms = new Map<string, Map<string, number>>();
  histograms.set('whole call', new Map());
  for (const [stamp, clock] of samples) {
    for (const key of ['whole call', phaseOf(stamp)]) {
      const h = histograms.get(key) ?? new Map<string, number>();
      h.set(clock, (h.get(clock) ?? 0) + 1);
      histograms.set(key, h);
    }
  }
  return [...histograms].map(
    ([phase, h]) =>
      `- ${phase}: ${[...h]
        .sort((a, b) => b[1] - a[1])
        .map(([clock, count]) => `${clock} x${count}`)
        .join(', ')}`,
  );
}

function report(runPath: string): {tag: string; lines: string[]} {
  const dir = dirname(runPath);
  const tag = basename(runPath, '.json').replace(/^run-/, '');
  const suffix = tag.replace(/^host-time-/, '');
  const info = JSON.parse(readFileSync(runPath, 'utf8')) as RunInfo;
  const file = (what: string): string => join(dir, `${what}-${tag}`);
  const ours = readJsonLines(join(dir, `${tag}.jsonl`));
  if (ours == null || ours.length === 0)
    throw new Error(`${join(dir, `${tag}.jsonl`)}: expected our rows, got none`);
  const cudnn = readJsonLines(file('cudnn') + '.jsonl');
  const ort = readJsonLines(file('ort') + '.jsonl');
  const breakdown = readJsonLines(file('gpu-breakdown') + '.jsonl');
  const variants = info.variants
    .split(' ')
    .filter((v) => v !== '')
    .map((v) => [v, readJsonLines(join(dir, `host-time-${v}-${suffix}.jsonl`)) ?? []] as [string, Row[]]);

  const lines = [
    `# Host time per webgpu call: ${info.card} (${tag})`,
    '',
    `Card ${info.card}, driver ${info.driver}, ${info.date}; Node ${info.node} with Dawn on Vulkan; host CPU ${info.cpu}.`,
    'One device call (bench/host_time_device.sh); medians. "call→data": our op called back to back with',
    '`await data()` after the warm-up and an idle settle (SETTLE_S), no clock bursts (natural clocks), x already on',
    'the GPU; "clocks raised": the same with a burst before each call (cuDNN\'s process holds the clock up',
    'while it lives); "sustained": the same after a second of its own untimed calls, no bursts; "GPU burst" /',
    '"GPU natural": tf.time',
    'kernelMs after a clock-raising burst / without. cuDNN: torch.nn.RNN fp32 (TF32 off), call to y.cpu() and',
    'CUDA-event kernel time. "Clocks held": GPU time with the GPU kept busy throughout (ours: the',
    'per-program breakdown, bursts before every sample; cuDNN: calls queued back to back after a 0.3 s',
    'burst). ORT-web: onnxruntime-web wasm RNN, 1 thread, on the host CPU, new Tensor to',
    'the output values, same weights and inputs.',
    '',
    ...mainTable(ours, byShape(cudnn), byShape(ort), byShape(breakdown)),
    '',
  ];
  if (cudnn == null) lines.push('No cuDNN rows in this call.', '');
  if (ort == null) lines.push('No ONNX Runtime rows in this call.', '');
  else {
    const ortRow = ort[0];
    const worst = Math.max(...ort.map((r) => num(r.maxAbsDiff) ?? NaN));
    const mismatched = ort.filter((r) => (num(r.mismatches) ?? 0) > 0).map(shapeKey);
    lines.push(
      `ONNX Runtime Web ${String(ortRow.ortVersion)} on ${String(ortRow.cpu)}, load average ${JSON.stringify(ortRow.loadAverage)} at its first shape; ` +
        (ort.some((r) => r.maxAbsDiff == null)
          ? 'outputs not checked against ours at every shape.'
          : `largest |ORT - ours on webgpu| ${worst.toExponential(1)}` +
            (mismatched.length > 0
              ? `, OUTSIDE the wasm tolerance at ${mismatched.join('; ')}.`
              : ', within the wasm tolerance.')),
      '',
    );
  }
  const replayMismatches = ours.filter((r) => (num(r.mismatches) ?? 0) > 0).map(shapeKey);
  if (replayMismatches.length > 0)
    lines.push(`Replayed and profiled outputs DIFFER at ${replayMismatches.join('; ')}.`, '');
  if (variants.length > 0) {
    lines.push(
      '## Variants (same call, in this order after ours)',
      '',
      ...variantTable([['ours', ours], ...variants]),
      '',
    );
  }
  if (breakdown != null && breakdown.length > 0) {
    lines.push(
      '## GPU time per program (ms per call; tf.time, one timed pass per dispatch; each column a median, so the parts need not add up to the total)',
      '',
      ...breakdownTable(breakdown),
      '',
    );
  }
  lines.push(
    '## SM clock (nvidia-smi every 200 ms), per step of the call',
    '',
    ...clockLines(file('clocks') + '.csv', file('phases') + '.tsv'),
  );
  return {tag, lines};
}

const [runPath, flag] = process.argv.slice(2);
if (runPath == null || !/run-host-time-.+\.json$/.test(runPath)) {
  throw new Error(`expected the call's run-host-time-<RUN>-<CARD>.json as first argument, got ${runPath}`);
}
const {tag, lines} = report(runPath);
const text = lines.join('\n') + '\n';
process.stdout.write(text);
if (flag === '--write') {
  const mdPath = join(dirname(runPath), `${tag}.md`);
  writeFileSync(mdPath, text);
  console.error(`wrote ${mdPath}`);
}
