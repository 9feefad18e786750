/**
 * The README's caching recipe, in the browsers: a model loaded with loadKerasModel is saved to
 * IndexedDB with `model.save('indexeddb://…')` and loads again from there with no network request,
 * with every SimpleRNN still on the op and the fixture's outputs unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {expect} from 'chai';
import {loadKerasModel, SingleGateSimpleRNN} from 'tfjs-single-gate-rnn';

import {describeAllBackends} from '../util/backends.js';
import {checkRuns, type Expected} from './cases.js';

const FIXTURE_BASE = '/base/test/fixtures/keras';
/** A Keras 2 and a Keras 3 file, one with Bidirectional, each with its outputs in expected.json. */
const FIXTURES = ['k2-sequential-simple-rnn', 'k3-sequential-bidirectional'];

/** SimpleRNN layers, also inside Bidirectional, that run on the op. */
function layersOnOp(model: LayersModel): number {
  let count = 0;
  for (const layer of model.layers) {
    // Bidirectional's two copies are plain properties at run time (typed private by tfjs-layers).
    const wrapped = layer as unknown as {forwardLayer?: unknown; backwardLayer?: unknown};
    for (const l of [layer, wrapped.forwardLayer, wrapped.backwardLayer]) {
      if (l instanceof SingleGateSimpleRNN) count++;
    }
  }
  return count;
}

/** Runs `load` with fetch replaced by one that refuses and counts: the network is gone. */
async function offline<T>(load: () => Promise<T>): Promise<{result: T; requests: string[]}> {
  const original = globalThis.fetch;
  const requests: string[] = [];
  globalThis.fetch = (input: RequestInfo | URL) => {
    requests.push(String(input instanceof Request ? input.url : input));
    return Promise.reject(new TypeError('offline'));
  };
  try {
    return {result: await load(), requests};
  } finally {
    globalThis.fetch = original;
  }
}

describeAllBackends('Keras models cached in IndexedDB', ({name, tolerance}) => {
  for (const fixture of FIXTURES) {
    it(`${fixture}: saves, then loads again offline with the same layers and outputs`, async () => {
      const key = `indexeddb://tfjs-single-gate-rnn-test-${name}-${fixture}`;
      const expected = (await (await fetch(`${FIXTURE_BASE}/${fixture}/expected.json`)).json()) as Expected;
      const loaded = await loadKerasModel(`${FIXTURE_BASE}/${fixture}/model.json`);
      const onOp = layersOnOp(loaded);
      try {
        expect(onOp, 'SimpleRNN layers on the op after loading from HTTP').to.be.greaterThan(0);
        await loaded.save(key);
      } finally {
        loaded.dispose();
      }
      try {
        const {result: cached, requests} = await offline(() => loadKerasModel(key));
        try {
          expect(requests, 'network requests while loading from IndexedDB').to.deep.equal([]);
          expect(layersOnOp(cached), 'SimpleRNN layers on the op after the round trip').to.equal(onOp);
          await checkRuns(cached, expected, tolerance, `${fixture} from IndexedDB`);
        } finally {
          cached.dispose();
        }
      } finally {
        await tf.io.removeModel(key);
      }
    });
  }
});
