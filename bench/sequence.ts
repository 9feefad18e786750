/**
 * The sequence features' benchmark rows (stacks, bidirectional encoding, sequence lengths, single
 * steps), for both runners: each fused form against the best stock-tfjs equivalent on the same
 * backend, with the same weights and inputs (tanh, float32 weights on both sides):
 *
 * - a 2-layer stack (16, 100, 256, 256): one `singleGateRNN` call with two descriptors, against two
 *   tf.layers.simpleRNN in a model, and against two chained single-layer op calls (what a Keras model
 *   of two SimpleRNN layers runs: the stack call is worth fusing there only if it beats this);
 * - bidirectional (16, 100, 256, 256), concatenated: `singleGateRNNBidirectional` against
 *   tf.layers.bidirectional(simpleRNN, 'concat');
 * - a ragged batch (32, 200, 128, 128), lengths spread evenly over 1..200: `sequenceLengths` against
 *   tf.layers.simpleRNN given the equivalent mask;
 * - single steps: 1000 consecutive one-step calls, batch 1, 256 units, each call's state read back
 *   before the next (the generation loop), against tf.layers.simpleRNN stepped with `initialState`.
 *
 * Each timing runs from the call to the output's data on the host, after warm-up, alternating which
 * of the two goes first; medians are reported. Outputs that differ beyond the backend's tolerance stop
 * the run. On a software adapter or the cpu backend (no real GPU) the shapes are cut down and the rows
 * say so.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';

import type * as Package from '../src/index.js';
import type {SingleGateRNNDescriptor} from '../src/index.js';
import {compareArrays, expectArraysClose} from '../test/util/close.js';
import {Random} from '../test/util/random.js';
import {toleranceFor} from '../test/util/tolerance.js';
import {type BenchOptions, DEFAULT_RUNS, isSoftwareAdapter, WARMUP} from './run.js';

type Tf = typeof TfCore;
type Tensor = TfCore.Tensor;
/** The package's ops, passed in: each runner imports the package in its own order (see run.ts). */
export type SequenceOps = Pick<typeof Package, 'singleGateRNN' | 'singleGateRNNBidirectional'>;

type Dims = [batch: number, time: number, inputs: number, units: number];

/** The rows' shapes on a real GPU, as the issue sets them, and cut down where there is none. */
const FULL = {
  stack: [16, 100, 256, 256] as Dims,
  bidirectional: [16, 100, 256, 256] as Dims,
  ragged: [32, 200, 128, 128] as Dims,
  steps: {count: 1000, units: 256},
};
const REDUCED = {
  stack: [4, 20, 32, 32] as Dims,
  bidirectional: [4, 20, 32, 32] as Dims,
  ragged: [8, 40, 16, 16] as Dims,
  steps: {count: 100, units: 64},
};
/** The stock layers' weights are set right after building: their (slow, orthogonal) initializers are skipped. */
const SKIP_INIT = {kernelInitializer: 'zeros', recurrentInitializer: 'zeros'} as const;
/** Timed runs of the single-step row: each is a whole loop of steps. */
const STEP_RUNS = 5;

export interface SequenceRecord {
  row: string;
  /** [batch, time, inputs, units], or the step loop. */
  shape: string;
  /** What the fused form is timed against. */
  baseline: string;
  fusedMs: number;
  baselineMs: number;
  /** baselineMs / fusedMs: above 1 means the fused form is faster. */
  speedup: number;
  maxAbsDiff: number;
  backend: string;
  /** Cut-down shapes (no real GPU). */
  reduced: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One layer's weights in MPS' layout (W [units, inputs], U [units, units], b) and as a descriptor. */
interface LayerWeights {
  w: TfCore.Tensor2D;
  u: TfCore.Tensor2D;
  b: TfCore.Tensor1D;
  descriptor(direction?: 'forward' | 'backward'): SingleGateRNNDescriptor;
  /** [kernel, recurrentKernel, bias] as tf.layers.simpleRNN holds them (the transposes of W and U). */
  keras(): Tensor[];
}

function layerWeights(tf: Tf, random: Random, inputs: number, units: number): LayerWeights {
  const fill = (n: number, scale: number) => random.floats(n, -scale, scale);
  const w = tf.tensor2d(fill(units * inputs, 1 / Math.sqrt(inputs)), [units, inputs]);
  const u = tf.tensor2d(fill(units * units, 0.9 / Math.sqrt(units)), [units, units]);
  const b = tf.tensor1d(fill(units, 0.5));
  return {
    w,
    u,
    b,
    descriptor: (direction = 'forward') => ({
      inputFeatureChannels: inputs,
      outputFeatureChannels: units,
      useFloat32Weights: true,
      layerSequenceDirection: direction,
      inputWeights: {weights: w, biasTerms: b, neuron: {type: 'tanh'}},
      recurrentWeights: {weights: u},
    }),
    keras: () => [tf.transpose(w), tf.transpose(u), b],
  };
}

/** Applying once builds a layer (creates its weights), which setWeights needs. */
function buildWith(tf: Tf, layer: TfLayers.layers.Layer, x: Tensor, weights: Tensor[]): void {
  tf.dispose(tf.tidy(() => layer.apply(x) as Tensor));
  layer.setWeights(weights);
}

/** Times `run` (call to data on the host) and gives what it returned for the comparison. */
async function timed(run: () => Promise<Float32Array>): Promise<[number, Float32Array]> {
  const start = performance.now();
  const data = await run();
  return [performance.now() - start, data];
}

/** `tensor`'s data, then the tensor disposed. */
async function take(tensor: Tensor): Promise<Float32Array> {
  const data = (await tensor.data()) as Float32Array;
  tensor.dispose();
  return data;
}

interface RowSpec {
  row: string;
  shape: string;
  baseline: string;
  fused: () => Promise<Float32Array>;
  stock: () => Promise<Float32Array>;
  /** The stock result as the fused one defines it, for the comparison (default: as it is). */
  comparable?: (stock: Float32Array) => Float32Array;
  runs: number;
  warmup: number;
  /** Per-call time from a run's time (the step loop divides by its step count). */
  perCall?: number;
}

async function measureRow(tf: Tf, spec: RowSpec, reduced: boolean): Promise<SequenceRecord> {
  for (let i = 0; i < spec.warmup; i++) {
    await spec.fused();
    await spec.stock();
  }
  const fusedTimes: number[] = [];
  const stockTimes: number[] = [];
  let maxAbsDiff = 0;
  for (let i = 0; i < spec.runs; i++) {
    // Alternate the order so neither always runs right after the other's readback.
    const first = i % 2 === 0 ? spec.fused : spec.stock;
    const second = i % 2 === 0 ? spec.stock : spec.fused;
    const [[aMs, aData], [bMs, bData]] = [await timed(first), await timed(second)];
    const [fMs, fData, sMs, sData] = i % 2 === 0 ? [aMs, aData, bMs, bData] : [bMs, bData, aMs, aData];
    fusedTimes.push(fMs / (spec.perCall ?? 1));
    stockTimes.push(sMs / (spec.perCall ?? 1));
    if (i === 0) {
      // Timing a wrong result means nothing.
      const tolerance = toleranceFor(tf.getBackend());
      const expected = spec.comparable ? spec.comparable(sData) : sData;
      expectArraysClose(fData, expected, tolerance, {what: `${spec.row}: fused against ${spec.baseline}`});
      maxAbsDiff = compareArrays(fData, expected, tolerance).largestError;
    }
  }
  const [fusedMs, baselineMs] = [median(fusedTimes), median(stockTimes)];
  const {row, shape, baseline} = spec;
  const backend = tf.getBackend();
  return {
    row,
    shape,
    baseline,
    fusedMs,
    baselineMs,
    speedup: baselineMs / fusedMs,
    maxAbsDiff,
    backend,
    reduced,
  };
}

/**
 * Runs the rows on the current backend (set and ready). `adapter` (as run.ts' options) decides
 * whether the shapes are cut down: on a software adapter, or with none (the cpu backend).
 */
export async function benchmarkSequence(
  tf: Tf,
  tfl: typeof TfLayers,
  ops: SequenceOps,
  options: Pick<BenchOptions, 'runs' | 'log'> & {adapter?: Record<string, string>},
): Promise<SequenceRecord[]> {
  const reduced = options.adapter == null || isSoftwareAdapter(options.adapter) || tf.getBackend() === 'cpu';
  const dims = reduced ? REDUCED : FULL;
  const runs = options.runs ?? DEFAULT_RUNS;
  const random = new Random(8);
  const records: SequenceRecord[] = [];
  const label = (d: Dims) => JSON.stringify(d);

  {
    const [batch, time, inputs, units] = dims.stack;
    const x = tf.randomUniform<TfCore.Rank.R3>([batch, time, inputs], -1, 1);
    const layers = [layerWeights(tf, random, inputs, units), layerWeights(tf, random, units, units)];
    const descriptors = layers.map((l) => l.descriptor());
    const model = tfl.sequential({
      layers: [
        tfl.layers.simpleRNN({units, returnSequences: true, inputShape: [time, inputs], ...SKIP_INIT}),
        tfl.layers.simpleRNN({units, returnSequences: true, ...SKIP_INIT}),
      ],
    });
    model.setWeights(layers.flatMap((l) => l.keras()));
    const fused = () => take(tf.tidy(() => ops.singleGateRNN(x, descriptors).output));
    const shape = `${label(dims.stack)}, 2 layers`;
    const common = {shape, runs, warmup: WARMUP, fused};
    records.push(
      await measureRow(
        tf,
        {...common, row: 'stack', baseline: '2 × simpleRNN', stock: () => take(model.predict(x) as Tensor)},
        reduced,
      ),
    );
    const chained = () =>
      take(
        tf.tidy(() => {
          const first = ops.singleGateRNN(x, descriptors[0]).output;
          return ops.singleGateRNN(first, descriptors[1]).output;
        }),
      );
    records.push(
      await measureRow(
        tf,
        {...common, row: 'stack', baseline: '2 chained op calls', stock: chained},
        reduced,
      ),
    );
    tf.dispose([x, ...layers.flatMap((l) => [l.w, l.u, l.b])]);
    model.dispose();
  }

  {
    const [batch, time, inputs, units] = dims.bidirectional;
    const x = tf.randomUniform<TfCore.Rank.R3>([batch, time, inputs], -1, 1);
    const [forward, backward] = [
      layerWeights(tf, random, inputs, units),
      layerWeights(tf, random, inputs, units),
    ];
    const descriptors = [forward.descriptor(), backward.descriptor('backward')];
    const stock = tfl.layers.bidirectional({
      layer: tfl.layers.simpleRNN({units, returnSequences: true, ...SKIP_INIT}),
      mergeMode: 'concat',
    });
    buildWith(tf, stock, x, [...forward.keras(), ...backward.keras()]);
    records.push(
      await measureRow(
        tf,
        {
          row: 'bidirectional',
          shape: `${label(dims.bidirectional)}, concatenate`,
          baseline: "bidirectional(simpleRNN) 'concat'",
          runs,
          warmup: WARMUP,
          fused: () =>
            take(
              tf.tidy(
                () =>
                  ops.singleGateRNNBidirectional(x, descriptors, {bidirectionalCombineMode: 'concatenate'})
                    .output,
              ),
            ),
          stock: () => take(tf.tidy(() => stock.apply(x) as Tensor)),
        },
        reduced,
      ),
    );
    tf.dispose([x, ...[forward, backward].flatMap((l) => [l.w, l.u, l.b])]);
    stock.dispose();
  }

  {
    const [batch, time, inputs, units] = dims.ragged;
    const x = tf.randomUniform<TfCore.Rank.R3>([batch, time, inputs], -1, 1);
    const weights = layerWeights(tf, random, inputs, units);
    // Spread evenly over 1..time, in a shuffled order (rows need not be sorted).
    const lengths = Array.from({length: batch}, (_, n) => 1 + Math.floor((n * (time - 1)) / (batch - 1)));
    for (let n = batch - 1; n > 0; n--) {
      const k = random.int(0, n + 1);
      [lengths[n], lengths[k]] = [lengths[k], lengths[n]];
    }
    const mask = tf.tensor2d(
      lengths.flatMap((length) => Array.from({length: time}, (_, t) => (t < length ? 1 : 0))),
      [batch, time],
    );
    const stock = tfl.layers.simpleRNN({units, returnSequences: true, ...SKIP_INIT});
    buildWith(tf, stock, x, weights.keras());
    // tfjs-backend-webgpu 4.22 cannot transpose a bool tensor (its shader fails to compile), which
    // simpleRNN does to a mask; there the stock equivalent is the same loop in tfjs ops: per step
    // matMul, add, tanh, and `where` keeping the state of rows past their end.
    const maskedLoop = tf.getBackend() === 'webgpu';
    const [kernel, recurrentKernel] = weights.keras();
    // At the state's full shape [batch, units]: tfjs' where tiles a smaller condition to the values'
    // shape, and webgpu does that on the CPU for a small host-side tensor, a cost of the benchmark's
    // making rather than of the stock ops (the fused op's own zeros avoid it: src/sequence/step_selection.ts).
    const stepMasks = Array.from({length: time}, (_, t) =>
      tf.tensor2d(
        lengths.flatMap((length) => Array.from({length: units}, () => t < length)),
        [batch, units],
        'bool',
      ),
    );
    const loop = (): Tensor =>
      tf.tidy(() => {
        const projected = tf.add(
          tf.matMul(tf.reshape<TfCore.Rank.R2>(x, [batch * time, inputs]), kernel),
          weights.b,
        );
        const steps = tf.unstack(tf.reshape(projected, [batch, time, units]), 1);
        let h: Tensor = tf.zeros([batch, units]);
        const outputs = steps.map((p, t) => {
          h = tf.where(stepMasks[t], tf.tanh(tf.add(p, tf.matMul(h as TfCore.Tensor2D, recurrentKernel))), h);
          return h;
        });
        return tf.stack(outputs, 1);
      });
    records.push(
      await measureRow(
        tf,
        {
          row: 'ragged',
          shape: `${label(dims.ragged)}, lengths 1..${time}`,
          baseline: maskedLoop
            ? 'tfjs ops loop with where (simpleRNN masks fail on webgpu)'
            : 'simpleRNN with a mask',
          runs,
          warmup: WARMUP,
          fused: () =>
            take(
              tf.tidy(() => ops.singleGateRNN(x, weights.descriptor(), {sequenceLengths: lengths}).output),
            ),
          stock: () => take(maskedLoop ? loop() : tf.tidy(() => stock.apply(x, {mask}) as Tensor)),
          // Past its end a row's outputs are zeros here; the mask repeats the last state instead.
          comparable: (data) =>
            data.map((value, k) => {
              const step = Math.floor(k / units);
              return step % time < lengths[Math.floor(step / time)] ? value : 0;
            }),
        },
        reduced,
      ),
    );
    tf.dispose([x, mask, weights.w, weights.u, weights.b, kernel, recurrentKernel, ...stepMasks]);
    stock.dispose();
  }

  {
    const {count, units} = dims.steps;
    const weights = layerWeights(tf, random, units, units);
    const descriptor = weights.descriptor();
    const inputs = Array.from({length: count}, () => tf.tensor2d(random.floats(units), [1, units]));
    const stock = tfl.layers.simpleRNN({units, ...SKIP_INIT});
    buildWith(tf, stock, tf.zeros([1, 1, units]), weights.keras());
    const steps = inputs.map((x) => tf.reshape(x, [1, 1, units]));
    // Each step's state is read before the next call, as a generation loop reads its output.
    const loop = async (step: (k: number, state: Tensor) => Tensor): Promise<Float32Array> => {
      let state: Tensor = tf.zeros([1, units]);
      for (let k = 0; k < count; k++) {
        const next = step(k, state);
        state.dispose();
        state = next;
        await state.data();
      }
      return take(state);
    };
    records.push(
      await measureRow(
        tf,
        {
          row: 'single steps',
          shape: `${count} steps, batch 1, ${units} units`,
          baseline: 'simpleRNN stepped (initialState)',
          runs: Math.min(runs, STEP_RUNS),
          warmup: 1,
          perCall: count,
          fused: () =>
            loop(
              // tidy: a step's `output` is a tensor of its own, beside `finalState`.
              (k, state) =>
                tf.tidy(
                  () =>
                    ops.singleGateRNN(inputs[k], descriptor, {initialState: state as TfCore.Tensor2D})
                      .finalState,
                ),
            ),
          stock: () =>
            loop((k, state) => tf.tidy(() => stock.apply(steps[k], {initialState: [state]}) as Tensor)),
        },
        reduced,
      ),
    );
    tf.dispose([...inputs, ...steps, weights.w, weights.u, weights.b]);
    stock.dispose();
  }

  for (const line of formatSequenceTable(records, runs)) await options.log(line);
  return records;
}

/** The rows as a table, in the style of table.ts. */
export function formatSequenceTable(records: SequenceRecord[], runs: number): string[] {
  const header = ['backend', 'row', 'shape', 'against', 'fused ms', 'stock ms', 'speedup', 'max |diff|'];
  const rows = records.map((r) => [
    r.backend,
    r.row + (r.reduced ? ' (reduced: no GPU)' : ''),
    r.shape,
    r.baseline,
    r.fusedMs.toFixed(3),
    r.baselineMs.toFixed(3),
    `${r.speedup.toFixed(2)}x`,
    r.maxAbsDiff.toExponential(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  return [
    `\nsequence rows: median of ${runs} runs (single steps: of ${Math.min(runs, STEP_RUNS)} loops, per step), call to data on the host:`,
    line(header),
    ...rows.map(line),
  ];
}
