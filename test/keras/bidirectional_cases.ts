/**
 * Keras Bidirectional(SimpleRNN) fixtures loaded by `loadKerasModel`: every wrapper is a
 * `SingleGateBidirectional` (both directions in one `singleGateRNNBidirectional` call), and the outputs
 * match stock tfjs (`tf.loadLayersModel` with its
 * own SimpleRNN and Bidirectional) running the same files on the same backend.
 */
import {dispose, Tensor, tensor} from '@tensorflow/tfjs-core';
import {LayersModel, loadLayersModel} from '@tensorflow/tfjs-layers';

import {loadKerasModel, SingleGateBidirectional} from 'tfjs-single-gate-rnn';

import {expectArraysClose, type Tolerance} from '../util/close.js';
import type {Case, FixtureEnv} from './cases.js';

/** Bidirectional fixtures that stock tfjs loads and computes as Keras does. */
const FIXTURES = ['k2-sequential-bidirectional', 'k2-functional-merge-modes'];

async function predictAll(model: LayersModel, xs: Tensor[]): Promise<Float32Array[]> {
  const y = model.predict(xs.length === 1 ? xs[0] : xs);
  const ys = Array.isArray(y) ? y : [y];
  try {
    return await Promise.all(ys.map(async (t) => (await t.data()) as Float32Array));
  } finally {
    dispose(ys);
  }
}

export const BIDIRECTIONAL_CASES: Case[] = FIXTURES.map((name) => ({
  name: `loadKerasModel: ${name} runs each Bidirectional as one bidirectional op call, as stock tfjs computes it`,
  async run(env: FixtureEnv, tolerance: Tolerance) {
    const ours = await loadKerasModel(await env.source(name));
    const stock = await loadLayersModel(await env.handler(name));
    const expected = await env.expected(name);
    try {
      const wrappers = ours.layers.filter((layer) => layer.getClassName() === 'Bidirectional');
      if (wrappers.length === 0) throw new Error(`${name}: no Bidirectional layer`);
      for (const layer of wrappers) {
        if (!(layer instanceof SingleGateBidirectional))
          throw new Error(
            `${name}: Bidirectional layer '${layer.name}' was not built as SingleGateBidirectional`,
          );
      }
      if (stock.layers.some((layer) => layer instanceof SingleGateBidirectional))
        throw new Error(`${name}: the stock load built a SingleGateBidirectional`);
      for (const [r, run] of (expected.runs ?? []).entries()) {
        const xs = run.inputs.map((t) => tensor(t.data, t.shape, 'float32'));
        try {
          const got = await predictAll(ours, xs);
          const want = await predictAll(stock, xs);
          if (got.length !== want.length)
            throw new Error(`${name} run ${r}: ${got.length} outputs, stock ${want.length}`);
          got.forEach((values, i) =>
            expectArraysClose(values, want[i], tolerance, {
              what: `${name} run ${r} output ${i} against stock tfjs`,
            }),
          );
        } finally {
          dispose(xs);
        }
      }
    } finally {
      ours.dispose();
      stock.dispose();
    }
  },
}));
