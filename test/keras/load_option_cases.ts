/**
 * tf.loadLayersModel's load options as loadKerasModel takes them (onProgress, fetchFunc,
 * weightPathPrefix, weightUrlConverter, strict), in the browsers and in Node from the same data, with
 * the loader's guarantees kept: a prefix or a converted URL is checked like a manifest path (refused
 * ones are never requested), and the caller's headers still go to model.json's origin only.
 */
import type {io} from '@tensorflow/tfjs-core';
import {loadKerasModel} from 'tfjs-single-gate-rnn';

import {Case, expectFailure, FixtureEnv} from './cases.js';
import {
  CALLER_HEADERS,
  escapeRegExp,
  expectEqual,
  FIXTURE,
  fixtureJson,
  loadAndCheck,
  ManifestJson,
  MemoryServer,
  MODEL_URL,
  SHARD,
} from './manifest_cases.js';

const SECRET = CALLER_HEADERS.Authorization;
/** The fixture's shard split into this many files, so progress has steps to report. */
const PIECES = 3;

/** The fixture's manifest with its shard cut into PIECES files named `piece<i>.bin`, and their bytes. */
async function splitFixture(
  env: FixtureEnv,
): Promise<{json: ManifestJson; pieces: Map<string, ArrayBuffer>}> {
  const json = await fixtureJson(env);
  const shard = await env.bytes(FIXTURE, SHARD);
  const size = Math.ceil(shard.byteLength / PIECES);
  const pieces = new Map<string, ArrayBuffer>();
  for (let i = 0; i < PIECES; i++) pieces.set(`piece${i}.bin`, shard.slice(i * size, (i + 1) * size));
  json.weightsManifest[0].paths = [...pieces.keys()];
  return {json, pieces};
}

/** Serves `json` as MODEL_URL and each piece under `folder` (default: model.json's). */
function servePieces(
  json: ManifestJson,
  pieces: Map<string, ArrayBuffer>,
  folder = new URL('./', MODEL_URL).href,
) {
  const routes = new Map<string, () => Response>([[MODEL_URL, () => new Response(JSON.stringify(json))]]);
  for (const [name, bytes] of pieces) routes.set(`${folder}${name}`, () => new Response(bytes.slice(0)));
  return new MemoryServer(routes);
}

/** Fractions PIECES steps apart, ending at 1. */
function expectedFractions(): number[] {
  return Array.from({length: PIECES}, (_, i) => (i + 1) / PIECES);
}

const PROGRESS: Case[] = [
  {
    name: 'onProgress: a URL source reports each shard, ending with 1',
    async run(env) {
      const {json, pieces} = await splitFixture(env);
      const server = servePieces(json, pieces);
      const fractions: number[] = [];
      await loadAndCheck(
        MODEL_URL,
        {fetch: server.fetch, onProgress: (f) => fractions.push(f)},
        await env.expected(FIXTURE),
      );
      expectEqual(fractions, expectedFractions(), 'fractions');
    },
  },
  {
    name: 'onProgress: {modelJson, loadShard} reports each shard, ending with 1',
    async run(env) {
      const {json, pieces} = await splitFixture(env);
      const fractions: number[] = [];
      const source = {modelJson: json, loadShard: (path: string) => Promise.resolve(pieces.get(path)!)};
      await loadAndCheck(source, {onProgress: (f) => fractions.push(f)}, await env.expected(FIXTURE));
      expectEqual(fractions, expectedFractions(), 'fractions');
    },
  },
  {
    name: 'onProgress: an IOHandler reports 1 once it has loaded',
    async run(env) {
      const fractions: number[] = [];
      await loadAndCheck(
        await env.handler(FIXTURE),
        {onProgress: (f) => fractions.push(f)},
        await env.expected(FIXTURE),
      );
      expectEqual(fractions, [1], 'fractions');
    },
  },
];

const FETCH: Case[] = [
  {
    name: 'fetchFunc: fetches a URL source, as fetch does',
    async run(env) {
      const {json, pieces} = await splitFixture(env);
      const server = servePieces(json, pieces);
      await loadAndCheck(MODEL_URL, {fetchFunc: server.fetch}, await env.expected(FIXTURE));
      expectEqual(server.urls().length, PIECES + 1, 'requests');
    },
  },
  {
    name: 'fetchFunc: two different functions for fetch and fetchFunc are refused',
    run: (env) =>
      expectFailure(
        async () => {
          const {json, pieces} = await splitFixture(env);
          const [a, b] = [servePieces(json, pieces), servePieces(json, pieces)];
          return loadKerasModel(MODEL_URL, {fetch: a.fetch, fetchFunc: b.fetch});
        },
        /options\.fetch and options\.fetchFunc are the same option .*give one, got two different functions/,
        'fetch and fetchFunc',
      ),
  },
  {
    name: 'URL options given with a source that is not a URL are refused, not ignored',
    run: (env) =>
      expectFailure(
        async () => loadKerasModel(await env.handler(FIXTURE), {weightPathPrefix: 'https://cdn.example/w/'}),
        /options\.weightPathPrefix applies to a model\.json URL only; this source is an IOHandler/,
        'weightPathPrefix with an IOHandler',
      ),
  },
];

const CDN = 'https://cdn.example/w/';

const WHERE: Case[] = [
  {
    name: "weightPathPrefix: shards come from the prefix's folder, without the caller's headers on another origin",
    async run(env) {
      const {json, pieces} = await splitFixture(env);
      const server = servePieces(json, pieces, CDN);
      await loadAndCheck(
        MODEL_URL,
        {
          fetch: server.fetch,
          weightPathPrefix: 'https://cdn.example/w',
          requestInit: {headers: {Authorization: SECRET}},
        },
        await env.expected(FIXTURE),
      );
      const seen = server.requests.map((r) => [r.url, r.authorization]);
      expectEqual(
        seen,
        [[MODEL_URL, SECRET], ...[...pieces.keys()].map((p) => [`${CDN}${p}`, null])],
        'requests',
      );
    },
  },
  {
    name: "weightPathPrefix: a manifest path that leaves the prefix's folder is refused before any shard",
    async run(env) {
      const {json, pieces} = await splitFixture(env);
      json.weightsManifest[0].paths = [`../x/${SHARD}`];
      const server = servePieces(json, pieces, CDN);
      await expectFailure(
        () => loadKerasModel(MODEL_URL, {fetch: server.fetch, weightPathPrefix: CDN}),
        new RegExp(
          `paths\\[0\\] '\\.\\./x/${escapeRegExp(SHARD)}' resolves to https://cdn\\.example/x/${escapeRegExp(SHARD)}, outside`,
        ),
        'escaping prefix',
      );
      expectEqual(server.urls(), [MODEL_URL], 'requests');
    },
  },
  {
    name: 'weightUrlConverter: gets each manifest path; its URLs in the model folder load',
    async run(env) {
      const {json, pieces} = await splitFixture(env);
      const server = servePieces(json, pieces, new URL('./v2/', MODEL_URL).href);
      const asked: string[] = [];
      const converter = (path: string) => {
        asked.push(path);
        return Promise.resolve(`v2/${path}`);
      };
      await loadAndCheck(
        MODEL_URL,
        {fetch: server.fetch, weightUrlConverter: converter},
        await env.expected(FIXTURE),
      );
      expectEqual(asked, [...pieces.keys()], 'converter calls');
    },
  },
  {
    name: 'weightUrlConverter: a URL outside the allowed folders is refused before any shard',
    async run(env) {
      const {json, pieces} = await splitFixture(env);
      const server = servePieces(json, pieces, CDN);
      await expectFailure(
        () =>
          loadKerasModel(MODEL_URL, {
            fetch: server.fetch,
            weightUrlConverter: (path) => Promise.resolve(`${CDN}${path}`),
          }),
        new RegExp(
          `paths\\[0\\] 'piece0\\.bin', which options\\.weightUrlConverter turned into '${escapeRegExp(CDN)}piece0\\.bin', resolves to .*outside the model's folder`,
        ),
        'converter to another origin',
      );
      expectEqual(server.urls(), [MODEL_URL], 'requests');
    },
  },
  {
    name: "weightUrlConverter: a URL in allowShardsFrom loads, without the caller's headers",
    async run(env) {
      const {json, pieces} = await splitFixture(env);
      const server = servePieces(json, pieces, CDN);
      await loadAndCheck(
        MODEL_URL,
        {
          fetch: server.fetch,
          allowShardsFrom: [CDN],
          weightUrlConverter: (path) => Promise.resolve(`${CDN}${path}`),
          requestInit: {headers: {Authorization: SECRET}},
        },
        await env.expected(FIXTURE),
      );
      expectEqual(
        server.requests.map((r) => r.authorization),
        [SECRET, ...[...pieces.keys()].map(() => null)],
        'authorization per request',
      );
    },
  },
];

/** The fixture through {modelJson, loadShard}, its manifest and shard edited. */
function filesSource(json: ManifestJson, shard: ArrayBuffer) {
  return {modelJson: json, loadShard: () => Promise.resolve(shard)};
}

const STRICT: Case[] = [
  {
    name: 'strict: false skips a manifest weight the model has no place for',
    async run(env) {
      const json = await fixtureJson(env);
      const shard = await env.bytes(FIXTURE, SHARD);
      json.weightsManifest[0].weights.push({name: 'dense/extra', shape: [1], dtype: 'float32'});
      const longer = new Uint8Array(shard.byteLength + 4);
      longer.set(new Uint8Array(shard));
      await loadAndCheck(filesSource(json, longer.buffer), {strict: false}, await env.expected(FIXTURE));
      await expectFailure(
        () => loadKerasModel(filesSource(json, longer.buffer)),
        /manifest weight 'dense\/extra' \[1\] matches no variable/,
        'strict by default',
      );
    },
  },
  {
    name: "strict: false leaves a variable without a weight at its initializer's value",
    async run(env) {
      const json = await fixtureJson(env);
      const shard = await env.bytes(FIXTURE, SHARD);
      const weights = json.weightsManifest[0].weights as unknown as io.WeightsManifestEntry[];
      const at = weights.findIndex((w) => w.name === 'dense/bias');
      const offset = weights.slice(0, at).reduce((n, w) => n + 4 * w.shape.reduce((a, d) => a * d, 1), 0);
      const size = 4 * weights[at].shape.reduce((a, d) => a * d, 1);
      weights.splice(at, 1);
      const shorter = new Uint8Array(shard.byteLength - size);
      shorter.set(new Uint8Array(shard, 0, offset));
      shorter.set(new Uint8Array(shard, offset + size), offset);
      // The Dense layer's bias initializer in the fixture's own topology: what the variable must hold.
      const layers = (
        json.modelTopology as {model_config: {config: {layers: Array<{config: Record<string, unknown>}>}}}
      ).model_config.config.layers;
      const dense = layers.find((l) => l.config.name === 'dense')!;
      expectEqual(
        (dense.config.bias_initializer as {class_name: string}).class_name,
        'Zeros',
        'the bias initializer',
      );
      const model = await loadKerasModel(filesSource(json, shorter.buffer), {strict: false});
      try {
        // getWeights gives the variables' own tensors: the model disposes them.
        const bias = model.getLayer('dense').getWeights()[1];
        expectEqual(Array.from(await bias.data()), new Array<number>(bias.size).fill(0), 'dense bias');
      } finally {
        model.dispose();
      }
    },
  },
];

export const LOAD_OPTION_CASES: Case[] = [...PROGRESS, ...FETCH, ...WHERE, ...STRICT];
