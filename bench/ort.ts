/**
 * Our op on tfjs-backend-wasm against ONNX Runtime Web's wasm `RNN` (the CPU peer a user would pick),
 * for both runners: the same weights (ONNX model built by bench/onnx_model.ts), one thread each, one
 * process, samples alternating which goes first; medians. Ours runs from tf.tensor3d to await data();
 * ORT from new ort.Tensor to the output's data (session.run returns it on the host). ORT gets x in
 * its time-major layout, made before timing (a user exporting to ONNX would hold it so); for batch 1
 * it is the same array. Outputs must agree within the wasm tolerance (test/util/tolerance.ts), else
 * the run stops. "Before" is our op on its previous path (XNNPACK and JavaScript; the flag
 * SINGLE_GATE_RNN_WASM_FUSED off), in the same rotation. The runner sets the wasm backend's paths and ORT's wasm paths first.
 */
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as Ort from 'onnxruntime-web';

import type {SingleGateRNNDescriptor} from '../src/contracts/descriptor.js';
import type {
  setWasmThreads as SetWasmThreads,
  singleGateRNN as SingleGateRNNOp,
  singleGateRNNBidirectional as BidirectionalOp,
} from '../src/index.js';
import {directionWeights, shapeRandom, uniform} from './problem.js';
import {toleranceFor} from '../test/util/tolerance.js';
import {fusedModule} from '../kernels/wasm/fused_module.js';
import {WASM_FUSED_FLAG, WASM_THREADS_FLAG} from '../kernels/wasm/tuning.js';
import {compareArrays} from '../test/util/close.js';
import {batchMajor, type DirectionWeights, onnxRnnModel, timeMajor} from './onnx_model.js';
import type {OrtRecord, OrtReport} from './ort_table.js';
import {DEFAULT_RUNS, median, WARMUP} from './run.js';

export interface OrtShape {
  shape: [batch: number, time: number, inputs: number, units: number];
  bidirectional?: boolean;
}

/** The shapes of issue 20's table. */
export const ORT_SHAPES: OrtShape[] = [
  {shape: [1, 100, 64, 128]},
  {shape: [1, 1000, 128, 128]},
  {shape: [1, 672, 32, 32]},
  {shape: [1, 20, 16, 32]},
  {shape: [32, 100, 256, 256]},
  {shape: [16, 50, 1024, 1024]},
  {shape: [1, 100, 64, 128], bidirectional: true},
];

export interface OrtBenchOptions {
  runtime: string;
  shapes?: OrtShape[];
  runs?: number;
  /**
   * Threads on both sides (default 1): ours through setWasmThreads, ORT through env.wasm.numThreads
   * (fixed at its first session, so one count per process). Above 1 the rows also time ours on one
   * thread (WASM_THREADS_FLAG 'off', same workers started) and ORT with its intra-op threads not
   * spinning (session.intra_op.allow_spinning '0'; ORT spins by default, as our main thread does),
   * in place of the "before" path.
   */
  threads?: number;
  loadAverage?: () => number[];
  log: (line: string) => void | Promise<void>;
}

type Side = 'ours' | 'before' | 'ours1' | 'theirs' | 'theirsNoSpin';

export async function benchmarkOrt(
  tf: typeof TfCore,
  ops: {
    singleGateRNN: typeof SingleGateRNNOp;
    singleGateRNNBidirectional: typeof BidirectionalOp;
    setWasmThreads: typeof SetWasmThreads;
  },
  ort: typeof Ort,
  options: OrtBenchOptions,
): Promise<OrtReport | null> {
  if (!(await tf.setBackend('wasm'))) {
    await options.log('The wasm backend failed to start: no ONNX Runtime rows.');
    return null;
  }
  await tf.ready();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threads = options.threads ?? 1;
  ort.env.wasm.numThreads = threads;
  await ops.setWasmThreads(threads);
  const runs = options.runs ?? DEFAULT_RUNS;
  const tolerance = toleranceFor('wasm');
  const loadAverageBefore = options.loadAverage?.();
  const records: OrtRecord[] = [];
  for (const {shape, bidirectional = false} of options.shapes ?? ORT_SHAPES) {
    const [batch, time, inputs, units] = shape;
    const random = shapeRandom(batch, time, inputs, units, bidirectional ? 7 : 0);
    const directions: DirectionWeights[] = Array.from({length: bidirectional ? 2 : 1}, () =>
      directionWeights(random, inputs, units),
    );
    const xData = uniform(random, batch * time * inputs, 1);
    const xTimeMajor = timeMajor(xData, batch, time, inputs);

    const model = onnxRnnModel({batch, time, inputs, units}, directions);
    const sessionWith = (extra?: Ort.InferenceSession.SessionOptions['extra']) =>
      ort.InferenceSession.create(model, {
        executionProviders: ['wasm'],
        graphOptimizationLevel: 'all',
        extra,
      });
    const session = await sessionWith();
    const noSpin = threads > 1 ? await sessionWith({session: {intra_op: {allow_spinning: '0'}}}) : null;
    const weights = directions.map((d) => ({
      w: tf.tensor2d(d.w, [units, inputs]),
      u: tf.tensor2d(d.u, [units, units]),
      b: tf.tensor1d(d.b),
    }));
    const descriptor = (k: number): SingleGateRNNDescriptor => ({
      inputFeatureChannels: inputs,
      outputFeatureChannels: units,
      useFloat32Weights: true,
      layerSequenceDirection: k === 0 ? 'forward' : 'backward',
      inputWeights: {weights: weights[k].w, biasTerms: weights[k].b, neuron: {type: 'tanh'}},
      recurrentWeights: {weights: weights[k].u},
    });
    const oursWith =
      (fused: boolean, threadMode = 'auto') =>
      async (): Promise<Float32Array[]> => {
        tf.env().set(WASM_FUSED_FLAG, fused);
        tf.env().set(WASM_THREADS_FLAG, threadMode);
        const x = tf.tensor3d(xData, [batch, time, inputs]);
        const outputs = bidirectional
          ? (() => {
              const r = ops.singleGateRNNBidirectional(x, [descriptor(0), descriptor(1)]);
              return [r.outputForward, r.outputBackward, ...r.finalStates.forward, ...r.finalStates.backward];
            })()
          : (() => {
              const r = ops.singleGateRNN(x, descriptor(0));
              return [r.output, r.finalState];
            })();
        const data = (await Promise.all(
          outputs.slice(0, bidirectional ? 2 : 1).map((t) => t.data()),
        )) as Float32Array[];
        tf.dispose([x, ...outputs]);
        return data;
      };
    const theirsOn = (on: Ort.InferenceSession) => async (): Promise<Float32Array[]> => {
      const x = new ort.Tensor('float32', xTimeMajor, [time, batch, inputs]);
      const result = await on.run({X: x});
      const y = (await result.Y.getData()) as Float32Array;
      const count = directions.length;
      const out = Array.from({length: count}, (_, k) => batchMajor(y, k, count, batch, time, units));
      for (const value of Object.values(result)) value.dispose();
      return out;
    };
    const timed = async (call: () => Promise<Float32Array[]>) => {
      const start = performance.now();
      const data = await call();
      return {ms: performance.now() - start, data};
    };

    const sides: Partial<Record<Side, () => Promise<Float32Array[]>>> = {
      ours: oursWith(true),
      theirs: theirsOn(session),
      ...(noSpin
        ? {ours1: oursWith(true, 'off'), theirsNoSpin: theirsOn(noSpin)}
        : {before: oursWith(false)}),
    };
    const names = Object.keys(sides) as Side[];
    for (let i = 0; i < WARMUP; i++) for (const side of names) await sides[side]!();
    const times = Object.fromEntries(names.map((side) => [side, [] as number[]])) as Record<Side, number[]>;
    let maxAbsDiff = 0;
    for (let i = 0; i < runs; i++) {
      // Each side goes first, second and third equally often.
      const order = names.map((_, k) => names[(i + k) % names.length]);
      const results: Partial<Record<Side, Float32Array[]>> = {};
      for (const side of order) {
        const {ms, data} = await timed(sides[side]!);
        times[side].push(ms);
        results[side] = data;
      }
      if (i === 0) {
        for (const side of names.filter((n) => !n.startsWith('theirs'))) {
          for (let k = 0; k < results.theirs!.length; k++) {
            const comparison = compareArrays(results[side]![k], results.theirs![k], tolerance);
            if (side === 'ours') maxAbsDiff = Math.max(maxAbsDiff, comparison.largestError);
            if (comparison.failures > 0) {
              throw new Error(
                `[${shape.join(', ')}]${bidirectional ? ' bidirectional' : ''}: ${side} and ORT differ at ` +
                  `${comparison.failures} values (largest ${comparison.largestError})`,
              );
            }
          }
        }
      }
    }
    tf.env().set(WASM_FUSED_FLAG, true);
    tf.env().set(WASM_THREADS_FLAG, 'auto');
    await session.release();
    await noSpin?.release();
    tf.dispose(weights.flatMap((w) => [w.w, w.u, w.b]));
    const oursMs = median(times.ours);
    const ortMs = median(times.theirs);
    const beforeMs = times.before && median(times.before);
    const record: OrtRecord = {
      batch,
      time,
      inputs,
      units,
      bidirectional,
      oursMs,
      ortMs,
      ratio: oursMs / ortMs,
      beforeMs,
      oursOneThreadMs: times.ours1 && median(times.ours1),
      ortNoSpinMs: times.theirsNoSpin && median(times.theirsNoSpin),
      maxAbsDiff,
    };
    records.push(record);
    await options.log(
      `${bidirectional ? 'bidirectional ' : ''}[${shape.join(', ')}]: ours ${oursMs.toFixed(3)} ms, ORT ${ortMs.toFixed(3)} ms, ` +
        `ours/ORT ${record.ratio.toFixed(2)}, ` +
        (noSpin
          ? `ours 1 thread ${record.oursOneThreadMs!.toFixed(3)} ms, ORT not spinning ${record.ortNoSpinMs!.toFixed(3)} ms`
          : `before ${beforeMs.toFixed(3)} ms`) +
        `, max diff ${maxAbsDiff.toExponential(1)}`,
    );
  }
  return {
    kind: 'ort',
    runtime: options.runtime,
    ortVersion: ort.env.versions.web ?? 'unknown',
    threads,
    simd,
    ourModule: (() => {
      const module = fusedModule();
      return module == null ? 'none (fallback path)' : module.fma ? 'relaxed SIMD (FMA)' : 'SIMD';
    })(),
    runs,
    warmup: WARMUP,
    loadAverageBefore,
    loadAverageAfter: options.loadAverage?.(),
    records,
  };
}
