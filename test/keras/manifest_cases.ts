/**
 * The loader's checks on model.json, run in the browsers and in Node from the same data: malformed
 * manifests, the manifest checked against the topology before any shard is read, and where a URL
 * model's shards may come from (with a fetch that serves from memory and records every request, so a
 * refused path is shown never to be requested; test/keras/two_origins.spec.ts and
 * test/node/two_origins.ts repeat the origin checks over real HTTP).
 */
import {getBackend} from '@tensorflow/tfjs-core';
import {KerasModelSource, loadKerasModel, LoadKerasModelOptions} from 'tfjs-single-gate-rnn';

import {toleranceFor} from '../util/tolerance.js';
import {Case, checkRuns, Expected, expectFailure, FixtureEnv} from './cases.js';

/** The fixture these checks load, and its one shard. */
export const FIXTURE = 'k2-sequential-simple-rnn';
export const SHARD = 'group1-shard1of1.bin';
/** Headers a caller means for the model's server only. */
export const CALLER_HEADERS = {Authorization: 'Bearer do-not-forward', 'X-Api-Key': 'do-not-forward-either'};
const SECRET = CALLER_HEADERS.Authorization;
export const MODEL_FOLDER = 'https://models.example/m/';
export const MODEL_URL = `${MODEL_FOLDER}model.json`;

/** Loads FIXTURE from `source` and checks its outputs against `expected`. */
export async function loadAndCheck(
  source: KerasModelSource,
  options: LoadKerasModelOptions,
  expected: Expected,
): Promise<void> {
  const model = await loadKerasModel(source, options);
  try {
    // The active backend's tolerance, as the fixture cases use.
    await checkRuns(model, expected, toleranceFor(getBackend()), FIXTURE);
  } finally {
    model.dispose();
  }
}

export type Json = Record<string, unknown>;
export interface ManifestJson extends Json {
  weightsManifest: {paths: unknown; weights: Json[]}[];
}

export async function fixtureJson(env: FixtureEnv): Promise<ManifestJson> {
  return JSON.parse(new TextDecoder().decode(await env.bytes(FIXTURE, 'model.json'))) as ManifestJson;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What a recorded request carried. */
interface Request {
  url: string;
  authorization: string | null;
  credentials: RequestCredentials | undefined;
  init: RequestInit | undefined;
}

/**
 * A fetch serving `routes` (URL → response) from memory and recording every request. A redirect it
 * serves is followed as fetch follows one (same init, headers included) unless `redirect: 'manual'`,
 * so a loader that let fetch carry its headers along would be caught.
 */
export class MemoryServer {
  readonly requests: Request[] = [];
  constructor(private readonly routes: Map<string, () => Response>) {}

  readonly fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    this.requests.push({
      url,
      authorization: new Headers(init?.headers).get('authorization'),
      credentials: init?.credentials,
      init,
    });
    const response = this.routes.get(url)?.() ?? new Response('not found', {status: 404});
    const location = response.headers.get('location');
    if (location != null && init?.redirect !== 'manual') return this.fetch(new URL(location, url).href, init);
    return Promise.resolve(response);
  };

  urls(): string[] {
    return this.requests.map((r) => r.url);
  }
}

export function serve(modelJson: Json | string, shard: ArrayBuffer, shardUrls: string[]): MemoryServer {
  const body = typeof modelJson === 'string' ? modelJson : JSON.stringify(modelJson);
  const routes = new Map<string, () => Response>([[MODEL_URL, () => new Response(body)]]);
  for (const url of shardUrls) routes.set(url, () => new Response(shard.slice(0)));
  return new MemoryServer(routes);
}

export function expectEqual<T>(got: T, want: T, what: string): void {
  const [g, w] = [JSON.stringify(got), JSON.stringify(want)];
  if (g !== w) throw new Error(`${what}: got ${g}, expected ${w}`);
}

/** Loads the fixture with its manifest edited by `edit`, through {modelJson, loadShard}. */
async function loadEdited(
  env: FixtureEnv,
  edit: (json: ManifestJson) => unknown,
  counter: {reads: number},
): Promise<void> {
  const json = await fixtureJson(env);
  const modelJson = edit(json) ?? json;
  const shard = await env.bytes(FIXTURE, SHARD);
  const model = await loadKerasModel({
    modelJson,
    loadShard: () => {
      counter.reads++;
      return Promise.resolve(shard);
    },
  });
  model.dispose();
}

/** A case: the edited fixture fails with `pattern`, and no shard is read. */
function malformed(label: string, edit: (json: ManifestJson) => unknown, pattern: RegExp): Case {
  return {
    name: `model.json checks: ${label}`,
    async run(env) {
      const counter = {reads: 0};
      await expectFailure(() => loadEdited(env, edit, counter), pattern, label);
      expectEqual(counter.reads, 0, `${label}: shards read`);
    },
  };
}

const first = (json: ManifestJson): Json => json.weightsManifest[0].weights[0];
const AT = "model\\.json: weightsManifest\\[0\\]\\.weights\\[0\\] \\('dense/kernel'\\)";

const MALFORMED: Case[] = [
  malformed(
    'a missing shape',
    (j) => void delete first(j).shape,
    new RegExp(`${AT}\\.shape must be a list of integers >= 0, got undefined`),
  ),
  malformed(
    'string dimensions',
    (j) => void (first(j).shape = ['3', 2]),
    new RegExp(`${AT}\\.shape must be a list of integers >= 0, got \\["3",2\\]`),
  ),
  malformed(
    'a negative dimension',
    (j) => void (first(j).shape = [3, -2]),
    new RegExp(`${AT}\\.shape must be a list of integers >= 0, got \\[3,-2\\]`),
  ),
  malformed(
    'a missing name',
    (j) => void delete first(j).name,
    /model\.json: weightsManifest\[0\]\.weights\[0\]\.name must be a non-empty string, got undefined/,
  ),
  malformed(
    'an unknown dtype',
    (j) => void (first(j).dtype = 'float64'),
    new RegExp(`${AT}\\.dtype must be one of float32, int32, bool, complex64 .*got "float64"`),
  ),
  malformed(
    'a string weight',
    (j) => void (first(j).dtype = 'string'),
    new RegExp(`${AT}\\.dtype must be one of .*got "string"`),
  ),
  malformed(
    'an unknown quantization',
    (j) => void (first(j).quantization = {dtype: 'int8'}),
    new RegExp(`${AT}\\.quantization\\.dtype must be one of uint8, uint16, float16, got "int8"`),
  ),
  malformed(
    'uint8 quantization without a scale',
    (j) => void (first(j).quantization = {dtype: 'uint8', min: 0}),
    new RegExp(`${AT}\\.quantization\\.scale must be a finite number for uint8 quantization, got undefined`),
  ),
  malformed(
    'paths as a string',
    (j) => void (j.weightsManifest[0].paths = SHARD),
    /weightsManifest\[0\]\.paths must be a list of non-empty strings, got "group1-shard1of1\.bin"/,
  ),
  malformed(
    'a path that is a number',
    (j) => void (j.weightsManifest[0].paths = [SHARD, 7]),
    /weightsManifest\[0\]\.paths must be a list of non-empty strings, got \["group1-shard1of1\.bin",7\]/,
  ),
  malformed(
    'weights that are not a list',
    (j) => void (j.weightsManifest[0].weights = {} as Json[]),
    /weightsManifest\[0\]\.weights must be a list, got \{\}/,
  ),
  malformed(
    'a manifest that is not a list',
    (j) => void ((j as Json).weightsManifest = {paths: [SHARD]}),
    /model\.json: weightsManifest must be a list of groups, got \{"paths"/,
  ),
  malformed(
    'a group that is null',
    (j) => void ((j as Json).weightsManifest = [null]),
    /weightsManifest\[0\] must be \{paths: \[\.\.\.\], weights: \[\.\.\.\]\}, got null/,
  ),
  malformed(
    'no modelTopology',
    (j) => void delete (j as Json).modelTopology,
    /model\.json must be an object with a modelTopology object .*got an object with keys \["format"/,
  ),
  malformed(
    'a list for a model.json',
    () => [],
    /model\.json must be an object with a modelTopology object .*got \[\]/,
  ),
];

const BEFORE_SHARDS: Case[] = [
  malformed(
    'a shape mismatch is found before any shard is read',
    (j) => void (first(j).shape = [2, 3]),
    /weight 'dense\/kernel' → variable 'dense\/kernel': the topology needs \[3, 2\], the manifest has \[2, 3\]/,
  ),
  malformed(
    'a missing weight is found before any shard is read',
    (j) => void j.weightsManifest[0].weights.splice(1, 1),
    /variable 'dense\/bias' \[2\] has no weight in the manifest/,
  ),
  malformed(
    'an extra weight is found before any shard is read',
    (j) => void j.weightsManifest[0].weights.push({name: 'dense/extra', shape: [1], dtype: 'float32'}),
    /manifest weight 'dense\/extra' \[1\] matches no variable of the model/,
  ),
];

/** Loads the fixture from MODEL_URL with `paths` as its manifest's paths. */
async function loadFromUrl(
  env: FixtureEnv,
  paths: string[],
  served: string[],
  options: LoadKerasModelOptions = {},
): Promise<MemoryServer> {
  const json = await fixtureJson(env);
  json.weightsManifest[0].paths = paths;
  const server = serve(json, await env.bytes(FIXTURE, SHARD), served);
  await loadAndCheck(MODEL_URL, {...options, fetch: server.fetch}, await env.expected(FIXTURE));
  return server;
}

/** A case: `path` is refused naming where it resolves, and only model.json is ever requested. */
function refused(
  label: string,
  path: string,
  options: LoadKerasModelOptions = {},
  folder = MODEL_FOLDER,
): Case {
  return {
    name: `shard paths: refuses ${label} (${path})`,
    async run(env) {
      const resolved = new URL(path, MODEL_URL).href;
      const json = await fixtureJson(env);
      json.weightsManifest[0].paths = [path];
      const server = serve(json, await env.bytes(FIXTURE, SHARD), [resolved]);
      const pattern = new RegExp(
        `paths\\[0\\] '${escapeRegExp(path)}' resolves to ${escapeRegExp(resolved)}, outside the model's folder ${escapeRegExp(folder)}`,
      );
      await expectFailure(() => loadKerasModel(MODEL_URL, {...options, fetch: server.fetch}), pattern, label);
      expectEqual(server.urls(), [MODEL_URL], `${label}: requests`);
    },
  };
}

const REFUSED: Case[] = [
  refused('another origin', `https://other.example/m/${SHARD}`),
  refused('a protocol-relative URL', `//other.example/m/${SHARD}`),
  refused('another port', `https://models.example:8443/m/${SHARD}`),
  refused('another scheme', `http://models.example/m/${SHARD}`),
  refused('user info', `https://user:pw@models.example/m/${SHARD}`),
  refused('a data: URL', 'data:application/octet-stream;base64,AAAA'),
  refused('a blob: URL', 'blob:https://models.example/0b7a'),
  refused('an absolute path', '/etc/passwd'),
  refused('.. above the folder', `../${SHARD}`),
  refused('.. far above the folder', '../../../../etc/passwd'),
  refused('.. after a subfolder', `sub/../../${SHARD}`),
  refused('percent-encoded ..', `%2e%2e/${SHARD}`),
  refused('backslashes', `..\\${SHARD}`),
  refused('percent-encoded slashes', `sub%2F..%2F..%2F${SHARD}`),
  refused('a folder that only shares a prefix with an allowed one', `https://cdn.example/wx/${SHARD}`, {
    allowShardsFrom: ['https://cdn.example/w'],
  }),
];

const ALLOWED: Case[] = [
  {
    name: 'shard paths: ./ and .. that stay inside the folder load',
    async run(env) {
      const server = await loadFromUrl(env, [`./sub/../${SHARD}`], [`${MODEL_FOLDER}${SHARD}`]);
      expectEqual(server.urls(), [MODEL_URL, `${MODEL_FOLDER}${SHARD}`], 'requests');
    },
  },
  {
    name: "allowShardsFrom: a listed folder on another origin loads, without the caller's headers or credentials",
    async run(env) {
      const cdn = `https://cdn.example/w/${SHARD}`;
      const server = await loadFromUrl(env, [cdn], [cdn], {
        allowShardsFrom: ['https://cdn.example/w'],
        requestInit: {headers: {Authorization: SECRET}, credentials: 'include', cache: 'no-store'},
      });
      const [model, shard] = server.requests;
      expectEqual(
        [model.url, model.authorization, model.credentials],
        [MODEL_URL, SECRET, 'include'],
        'model.json request',
      );
      expectEqual([shard.url, shard.authorization, shard.credentials], [cdn, null, 'omit'], 'shard request');
      expectEqual(shard.init?.cache, 'no-store', 'shard request cache mode');
    },
  },
  {
    name: 'allowShardsFrom: relative folders resolve against model.json',
    async run(env) {
      const shared = new URL(`../shared/${SHARD}`, MODEL_URL).href;
      const server = await loadFromUrl(env, [`../shared/${SHARD}`], [shared], {
        allowShardsFrom: ['../shared/'],
      });
      expectEqual(server.urls(), [MODEL_URL, shared], 'requests');
    },
  },
  {
    name: "redirects: the caller's headers follow a redirect on the model's origin only (into an allowed folder elsewhere)",
    async run(env) {
      const json = await fixtureJson(env);
      const hop = `${MODEL_FOLDER}${SHARD}`;
      const sameOrigin = `${MODEL_FOLDER}v2/${SHARD}`;
      const elsewhere = `https://storage.example/${SHARD}`;
      const shard = await env.bytes(FIXTURE, SHARD);
      const redirect = (to: string) => () => new Response(null, {status: 302, headers: {location: to}});
      const server = new MemoryServer(
        new Map([
          [MODEL_URL, () => new Response(JSON.stringify(json))],
          [hop, redirect(sameOrigin)],
          [sameOrigin, redirect(elsewhere)],
          [elsewhere, () => new Response(shard.slice(0))],
        ]),
      );
      const model = await loadKerasModel(MODEL_URL, {
        fetch: server.fetch,
        requestInit: {headers: {Authorization: SECRET}},
        // A redirect must stay where a manifest path may point.
        allowShardsFrom: ['https://storage.example/'],
      });
      model.dispose();
      const seen = server.requests.map((r) => [r.url, r.authorization]);
      expectEqual(
        seen,
        [
          [MODEL_URL, SECRET],
          [hop, SECRET],
          [sameOrigin, SECRET],
          [elsewhere, null],
        ],
        'requests',
      );
    },
  },
];

const OPTIONS: Case[] = [
  {
    name: 'allowShardsFrom: entries must be http(s) URLs',
    run: (env) =>
      expectFailure(
        () => loadFromUrl(env, [SHARD], [], {allowShardsFrom: ['data:']}),
        /options\.allowShardsFrom\[0\] must be an http\(s\) URL, got 'data:'/,
        'data: entry',
      ),
  },
  {
    name: 'model.json checks: invalid JSON names the file',
    run: (env) =>
      expectFailure(
        async () => {
          const shard = await env.bytes(FIXTURE, SHARD);
          return loadKerasModel(MODEL_URL, {fetch: serve('{"modelTopology": ', shard, []).fetch});
        },
        /model\.json https:\/\/models\.example\/m\/model\.json is not valid JSON: /,
        'invalid JSON',
      ),
  },
];

export const MANIFEST_CASES: Case[] = [...MALFORMED, ...BEFORE_SHARDS, ...REFUSED, ...ALLOWED, ...OPTIONS];
