/**
 * The `.keras` route's wrapper path (`layers/<wrapper>/layer/vars/<i>`), on a model that has no
 * Keras 3 fixture of its own: the TimeDistributed fixture's manifest renamed by hand to the names
 * the converter gives a `.keras` file must load the same weights as its `.h5` names do (which the
 * never-worse comparison checks against stock tfjs).
 */
import {dispose, io, tensor} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {loadKerasModel} from 'tfjs-single-gate-rnn';

import {expectArraysClose} from '../util/close.js';
import {Case, FixtureEnv} from './cases.js';

const FIXTURE = 'k2-time-distributed';

/** h5 name → `.keras` route name, written out from Keras' saving paths. */
const KERAS_NAMES: Record<string, string> = {
  'time_distributed/kernel': 'layers/time_distributed/layer/vars/0',
  'time_distributed/bias': 'layers/time_distributed/layer/vars/1',
  'simple_rnn/simple_rnn_cell/kernel': 'layers/simple_rnn/cell/vars/0',
  'simple_rnn/simple_rnn_cell/recurrent_kernel': 'layers/simple_rnn/cell/vars/1',
  'simple_rnn/simple_rnn_cell/bias': 'layers/simple_rnn/cell/vars/2',
  'simple_rnn_1/simple_rnn_cell/kernel': 'layers/simple_rnn_1/cell/vars/0',
  'simple_rnn_1/simple_rnn_cell/recurrent_kernel': 'layers/simple_rnn_1/cell/vars/1',
  'simple_rnn_1/simple_rnn_cell/bias': 'layers/simple_rnn_1/cell/vars/2',
  'simple_rnn_2/simple_rnn_cell/kernel': 'layers/simple_rnn_2/cell/vars/0',
  'simple_rnn_2/simple_rnn_cell/recurrent_kernel': 'layers/simple_rnn_2/cell/vars/1',
};

interface Files {
  modelJson: {weightsManifest: {paths: string[]; weights: io.WeightsManifestEntry[]}[]};
  shards: Map<string, ArrayBuffer>;
}

async function readFixture(env: FixtureEnv): Promise<Files> {
  const modelJson = JSON.parse(
    new TextDecoder().decode(await env.bytes(FIXTURE, 'model.json')),
  ) as Files['modelJson'];
  const shards = new Map<string, ArrayBuffer>();
  for (const p of modelJson.weightsManifest.flatMap((g) => g.paths))
    shards.set(p, await env.bytes(FIXTURE, p));
  return {modelJson, shards};
}

function load(files: Files): Promise<LayersModel> {
  return loadKerasModel({
    modelJson: files.modelJson,
    loadShard: (p) => Promise.resolve(files.shards.get(p)!.slice(0)),
  });
}

export const KERAS_ROUTE_CASES: Case[] = [
  {
    name: '.keras route: a TimeDistributed layer by its layers/<wrapper>/layer/vars path',
    async run(env, tolerance) {
      const h5 = await readFixture(env);
      const renamed = await readFixture(env);
      for (const w of renamed.modelJson.weightsManifest.flatMap((g) => g.weights)) {
        const name = KERAS_NAMES[w.name];
        if (name == null) throw new Error(`no .keras name written for '${w.name}'`);
        w.name = name;
      }
      const [a, b] = [await load(h5), await load(renamed)];
      const x = tensor(
        Array.from({length: 2 * 6 * 3}, (_, i) => Math.sin(i)),
        [2, 6, 3],
      );
      const [ya, yb] = [a.predict(x), b.predict(x)] as [ReturnType<typeof tensor>, ReturnType<typeof tensor>];
      try {
        expectArraysClose(await yb.data(), await ya.data(), tolerance, {what: '.keras names vs .h5 names'});
      } finally {
        dispose([x, ya, yb]);
        a.dispose();
        b.dispose();
      }
    },
  },
];
