/**
 * Where a redirect may lead (issue 22, item 4) and signed model URLs (item 16), over real HTTP on two
 * local origins. With `requestInit` headers the loader follows redirects itself: a shard's 302 to
 * `data:` or `file:` used to be followed, and a local file's bytes became the weights. Redirects now
 * go to http(s) only, and a shard's redirect must stay where a manifest path may point.
 */
import {rmSync} from 'node:fs';
import {readFile, writeFile, mkdtemp} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';

import {Case, expectFailure} from '../../keras/cases.js';
import {CALLER_HEADERS, FIXTURE, loadAndCheck, SHARD} from '../../keras/manifest_cases.js';
import {loadKerasModel} from 'tfjs-single-gate-rnn';
import {Origins, withServers} from './servers.js';

const REDIRECT = 'redirect.bin';

/** The model server answers /m/redirect.bin with a 302 to `location(origins)`. */
function redirecting(location: (o: Origins) => string) {
  return {
    model: (req: {url?: string}, res: import('node:http').ServerResponse, o: Origins): void => {
      if (req.url === `/m/${REDIRECT}`) res.writeHead(302, {location: location(o)}).end();
    },
  };
}

/** A fetch that also reads file: URLs (as some fetch polyfills do); http(s) goes to Node's fetch. */
const fetchWithFiles: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (url.protocol === 'file:') return new Response(await readFile(url));
  return fetch(input, init);
};

function refusedRedirect(
  fixtures: string,
  label: string,
  location: (o: Origins) => string,
  pattern: RegExp,
  headers = true,
): Case {
  return {
    name: `redirects: a shard's redirect ${label} is refused`,
    run: () =>
      withServers(fixtures, redirecting(location), async (o) => {
        o.json.weightsManifest[0].paths = [REDIRECT];
        await expectFailure(
          () =>
            loadKerasModel(`${o.model}/m/model.json`, {
              fetch: fetchWithFiles,
              ...(headers ? {requestInit: {headers: CALLER_HEADERS}} : {}),
            }),
          pattern,
          label,
        );
      }),
  };
}

/** A local file holding the shard's bytes (made by the set-up case): the file: redirect's target. */
let localFile = '';

export function redirectCases(fixtures: string): Case[] {
  const redirectsTo = (what: string) =>
    new RegExp(
      `fetching weight shard http://127\\.0\\.0\\.1:\\d+/m/${REDIRECT}: the server redirects to ${what}`,
    );
  return [
    {
      name: 'redirects: (set-up) a local file with the shard bytes, for the file: redirect',
      run: async () => {
        const dir = await mkdtemp(join(tmpdir(), 'redirect-target-'));
        localFile = join(dir, SHARD);
        await writeFile(localFile, await readFile(join(fixtures, FIXTURE, SHARD)));
        process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
      },
    },
    refusedRedirect(
      fixtures,
      'to a data: URL',
      (o) => `data:application/octet-stream;base64,${o.shard.toString('base64')}`,
      new RegExp(`${redirectsTo('data:application').source}.*which is not an http\\(s\\) URL`),
    ),
    refusedRedirect(
      fixtures,
      'to a file: URL',
      () => pathToFileURL(localFile).href,
      new RegExp(`${redirectsTo('file:///').source}.*which is not an http\\(s\\) URL`),
    ),
    refusedRedirect(
      fixtures,
      'to another origin the options do not allow',
      (o) => `${o.other}/w/${SHARD}`,
      new RegExp(`${redirectsTo('http://127\\.0\\.0\\.1:\\d+/w/').source}.*outside the model's folder`),
    ),
    refusedRedirect(
      fixtures,
      'to another origin, followed by fetch itself (no headers)',
      (o) => `${o.other}/w/${SHARD}`,
      new RegExp(`${redirectsTo('http://127\\.0\\.0\\.1:\\d+/w/').source}.*outside the model's folder`),
      false,
    ),
    refusedRedirect(
      fixtures,
      'out of the model folder on its own origin',
      (o) => `${o.model}/secret/${SHARD}`,
      new RegExp(`${redirectsTo('http://127\\.0\\.0\\.1:\\d+/secret/').source}.*outside the model's folder`),
    ),
    {
      name: "redirects: a shard's redirect into an allowed folder on another origin loads, without the caller's headers",
      run: (env) =>
        withServers(
          fixtures,
          redirecting((o) => `${o.other}/w/${SHARD}`),
          async (o) => {
            o.json.weightsManifest[0].paths = [REDIRECT];
            await loadAndCheck(
              `${o.model}/m/model.json`,
              {allowShardsFrom: [`${o.other}/w/`], requestInit: {headers: CALLER_HEADERS}},
              await env.expected(FIXTURE),
            );
            const other = o.log.filter((r) => r.server === 'other');
            if (other.length !== 1)
              throw new Error(`the other origin got ${other.length} requests, expected 1`);
            if (other[0].headers['authorization'] != null || other[0].headers['x-api-key'] != null) {
              throw new Error("the other origin got the caller's headers");
            }
          },
        ),
    },
    {
      name: "signed model URL: model.json's query goes to its shards on the same origin, not to another",
      run: (env) =>
        withServers(
          fixtures,
          {
            model: (req, res) => {
              if (!(req.url ?? '').endsWith('?token=abc')) res.writeHead(403).end();
            },
          },
          async (o) => {
            await loadAndCheck(`${o.model}/m/model.json?token=abc`, {}, await env.expected(FIXTURE));
            const urls = o.log.map((r) => r.url);
            if (!urls.includes(`/m/${SHARD}?token=abc`)) throw new Error(`requests: ${urls.join(', ')}`);
            o.log.length = 0;
            o.json.weightsManifest[0].paths = [`${o.other}/w/${SHARD}`];
            await loadAndCheck(
              `${o.model}/m/model.json?token=abc`,
              {allowShardsFrom: [`${o.other}/w/`]},
              await env.expected(FIXTURE),
            );
            const leaked = o.log.filter((r) => r.server === 'other' && r.url.includes('token'));
            if (leaked.length > 0) throw new Error(`the other origin got the token: ${leaked[0].url}`);
          },
        ),
    },
  ];
}
