/**
 * Where a webgpu call's GPU time goes, per program: the input projection, the recurrence's dispatches
 * and the rest (finalState's copy program, U's preparation where a call makes it). Under tf.time the
 * backend runs every dispatch of ours through runWebGPUProgram, each in a compute pass of its own with
 * timestamps at its start and end (no replay: recorded_dispatches.ts steps aside while it profiles),
 * and names each pass after its program's class; `getExtraProfileInfo()` lists them, and their sum
 * is tf.time's kernelMs, the "GPU" columns of bench/host_time.ts. Samples alternate natural clocks
 * and clocks raised by a burst (gpu_clocks.ts), as host_time.ts' do.
 *
 * Prints, per shape, each program's median ms per call and its dispatches per call, and one JSON line
 * (BREAKDOWN_OUT appends them to a file). BREAKDOWN_SHAPES='[[batch,time,inputs,units],...]' (default
 * below), RUNS=n (default 20). Bundle with --keep-names: the program names are class names.
 */
import {appendFileSync} from 'node:fs';

import type * as TfCore from '@tensorflow/tfjs-core';

import {enableClockBursts, raiseGpuClocks} from './gpu_clocks.js';
import {DEFAULT_RUNS, median} from './run.js';
import {type Shape, shapesFromEnv} from './shapes_env.js';
import {problemCall, startWebGpu} from './webgpu_node.js';

/** The shapes whose GPU time stood furthest from cuDNN's kernel in issue 20's runs. */
const BREAKDOWN_SHAPES: Shape[] = [
  [16, 50, 1024, 1024],
  [64, 256, 512, 512],
  [1, 1000, 128, 128],
  [1, 672, 32, 32],
  [8, 1, 512, 512],
];
/** Untimed calls first (pipelines compiled, weights prepared), then two untimed profiled ones. */
const WARMUP = 5;

/** Per program name: GPU ms summed over a call's dispatches of it, and how many there were. */
type CallBreakdown = Map<string, {ms: number; dispatches: number}>;

/** The backend's "Name: ms, Name: ms" list of one tf.time, per program name. */
function breakdownOf(info: TfCore.TimingInfo): CallBreakdown {
  const text = info.getExtraProfileInfo?.() ?? '';
  const programs: CallBreakdown = new Map();
  for (const entry of text.split(', ').filter((e) => e !== '')) {
    const at = entry.lastIndexOf(': ');
    if (at < 0) throw new Error(`getExtraProfileInfo: expected "name: ms" entries, got "${entry}"`);
    const name = entry.slice(0, at);
    const ms = Number(entry.slice(at + 2));
    const sum = programs.get(name) ?? {ms: 0, dispatches: 0};
    programs.set(name, {ms: sum.ms + ms, dispatches: sum.dispatches + 1});
  }
  return programs;
}

/** Medians over calls, per program: ms per call and dispatches per call. */
function summarize(calls: CallBreakdown[]): {
  totalMs: number;
  programs: Record<string, {ms: number; dispatches: number}>;
} {
  const names = [...new Set(calls.flatMap((c) => [...c.keys()]))];
  const programs = Object.fromEntries(
    names.map((name) => [
      name,
      {
        ms: median(calls.map((c) => c.get(name)?.ms ?? 0)),
        dispatches: median(calls.map((c) => c.get(name)?.dispatches ?? 0)),
      },
    ]),
  );
  const totalMs = median(calls.map((c) => [...c.values()].reduce((sum, p) => sum + p.ms, 0)));
  return {totalMs, programs};
}

async function main(): Promise<void> {
  const side = await startWebGpu();
  if (side == null) throw new Error('no webgpu backend');
  const {tf} = side;
  const backend = tf.backend() as unknown as {supportTimestampQuery?: boolean};
  if (backend.supportTimestampQuery !== true) {
    console.log('The adapter has no timestamp queries: no GPU breakdown.');
    return;
  }
  if (!side.software) enableClockBursts();
  const shapes = shapesFromEnv('BREAKDOWN_SHAPES', BREAKDOWN_SHAPES);
  const runs = Number(process.env.RUNS ?? DEFAULT_RUNS);
  const out = process.env.BREAKDOWN_OUT;

  for (const [batch, time, inputs, units] of shapes) {
    const {call, dispose} = problemCall(side, [batch, time, inputs, units]);
    const profiled = async (): Promise<CallBreakdown> => {
      let outputs: TfCore.Tensor[] = [];
      const info = await tf.time(() => {
        outputs = call();
      });
      tf.dispose(outputs);
      return breakdownOf(info);
    };
    for (let i = 0; i < WARMUP; i++) {
      const outputs = call();
      await outputs[0].data();
      tf.dispose(outputs);
    }
    for (let i = 0; i < 2; i++) await profiled();
    const natural: CallBreakdown[] = [];
    const burst: CallBreakdown[] = [];
    for (let i = 0; i < runs; i++) {
      natural.push(await profiled());
      await raiseGpuClocks(tf);
      burst.push(await profiled());
    }
    dispose();

    const record = {
      B: batch,
      T: time,
      I: inputs,
      H: units,
      runs,
      burst: summarize(burst),
      natural: summarize(natural),
    };
    console.log(`[${batch}, ${time}, ${inputs}, ${units}] GPU ms per call (dispatches), burst | natural:`);
    for (const [name, p] of Object.entries(record.burst.programs)) {
      const n = record.natural.programs[name];
      console.log(`  ${name}: ${p.ms.toFixed(4)} (${p.dispatches}) | ${n.ms.toFixed(4)} (${n.dispatches})`);
    }
    console.log(`  total: ${record.burst.totalMs.toFixed(4)} | ${record.natural.totalMs.toFixed(4)}`);
    const line = JSON.stringify(record);
    console.log(line);
    if (out != null) appendFileSync(out, line + '\n');
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
