/**
 * `tfjs-single-gate-rnn bench`: a short benchmark on this machine's best backend (or BACKEND), the
 * fused op against `tf.layers.simpleRNN` carrying the same weights, each timed from the call to its
 * output on the host, interleaved, median of a few runs after two untimed ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import {singleGateRNN} from '../index.js';
import {chooseBackend} from './choose_backend.js';

/** (batch, time, inputs, units): a streaming shape, a batched one and a wider one. */
const SHAPES: ReadonlyArray<readonly [number, number, number, number]> = [
  [1, 100, 32, 64],
  [16, 50, 64, 64],
  [4, 20, 128, 256],
];
const RUNS = 7;

async function msOf(call: () => tf.Tensor): Promise<number> {
  const start = performance.now();
  const y = call();
  await y.data();
  const elapsed = performance.now() - start;
  y.dispose();
  return elapsed;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

function phrase(ours: number, theirs: number): string {
  const ratio = theirs / ours;
  return ratio >= 1 ? `${ratio.toFixed(1)}× faster` : `${(1 / ratio).toFixed(1)}× slower`;
}

/** One line per shape: both medians and how much faster or slower the fused op is. */
export async function benchCommand(backend: string | undefined): Promise<string[]> {
  const choice = await chooseBackend(backend);
  const lines = [`backend: ${choice.name} (${choice.detail}); median of ${RUNS} runs, ms`];
  for (const [batch, time, inputs, units] of SHAPES) {
    const w = tf.randomNormal<tf.Rank.R2>([units, inputs], 0, 1 / Math.sqrt(inputs));
    const u = tf.randomNormal<tf.Rank.R2>([units, units], 0, 1 / Math.sqrt(units));
    const b = tf.zeros<tf.Rank.R1>([units]);
    const x = tf.randomNormal<tf.Rank.R3>([batch, time, inputs]);
    const transposed = [tf.transpose(w), tf.transpose(u)];
    const stock = tfl.layers.simpleRNN({
      units,
      activation: 'tanh',
      weights: [...transposed, b],
    });
    const descriptor = {
      inputFeatureChannels: inputs,
      outputFeatureChannels: units,
      useFloat32Weights: true,
      inputWeights: {weights: w, biasTerms: b, neuron: {type: 'tanh' as const}},
      recurrentWeights: {weights: u},
    };
    const ours = () => singleGateRNN(x, descriptor).finalState;
    const theirs = () => stock.apply(x) as tf.Tensor;
    const [oursMs, theirsMs]: number[][] = [[], []];
    for (let k = 0; k < RUNS + 2; k++) {
      const [a, c] = [await msOf(ours), await msOf(theirs)];
      if (k < 2) continue;
      oursMs.push(a);
      theirsMs.push(c);
    }
    const [o, t] = [median(oursMs), median(theirsMs)];
    lines.push(
      `(batch ${batch}, ${time} steps, ${inputs} → ${units}): singleGateRNN ${o.toFixed(2)}, ` +
        `tf.layers.simpleRNN ${t.toFixed(2)}: ${phrase(o, t)} on ${choice.name}`,
    );
    tf.dispose([w, u, b, x, ...transposed]);
    stock.dispose();
  }
  return lines;
}
