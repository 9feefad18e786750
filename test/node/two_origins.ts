/**
 * A URL model over real HTTP with two local origins: the model's server (serving a fixture under /m/,
 * and a redirect) and another server that logs every request it gets. The other origin must never be
 * asked for a refused path, and must never see the caller's headers when a path is allowed or a
 * redirect leads there.
 */
import {readFile} from 'node:fs/promises';
import {createServer, IncomingHttpHeaders, Server} from 'node:http';
import {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {loadKerasModel} from 'tfjs-single-gate-rnn';

import {Case, expectFailure} from '../keras/cases.js';
import {CALLER_HEADERS as HEADERS, FIXTURE, loadAndCheck, SHARD} from '../keras/manifest_cases.js';

interface Logged {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

interface Origins {
  model: string;
  other: string;
  /** Requests the other origin received. */
  otherLog: Logged[];
  /** The manifest paths model.json gives. */
  setPaths(paths: string[]): void;
}

function listen(server: Server): Promise<string> {
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/** Starts both servers, runs `body`, stops them. */
async function withOrigins(fixtures: string, body: (origins: Origins) => Promise<void>): Promise<void> {
  const json = JSON.parse(await readFile(join(fixtures, FIXTURE, 'model.json'), 'utf8')) as {
    weightsManifest: {paths: string[]}[];
  };
  const shard = await readFile(join(fixtures, FIXTURE, SHARD));
  const otherLog: Logged[] = [];
  let other = '';
  const modelServer = createServer((req, res) => {
    if (req.url === '/m/model.json') res.writeHead(200).end(JSON.stringify(json));
    else if (req.url === `/m/${SHARD}`) res.writeHead(200).end(shard);
    else if (req.url === '/m/redirect.bin') res.writeHead(302, {location: `${other}/w/${SHARD}`}).end();
    else res.writeHead(404).end();
  });
  const otherServer = createServer((req, res) => {
    otherLog.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers});
    res.writeHead(req.url === `/w/${SHARD}` ? 200 : 404).end(shard);
  });
  const model = await listen(modelServer);
  other = await listen(otherServer);
  try {
    await body({model, other, otherLog, setPaths: (paths) => (json.weightsManifest[0].paths = paths)});
  } finally {
    await Promise.all(
      [modelServer, otherServer].map((s) => new Promise((done) => s.close(done).closeAllConnections())),
    );
  }
}

function expectNoCallerHeaders(log: Logged[], what: string): void {
  if (log.length === 0) throw new Error(`${what}: the other origin got no request`);
  for (const {url, headers} of log) {
    for (const name of [...Object.keys(HEADERS), 'cookie']) {
      if (headers[name.toLowerCase()] != null)
        throw new Error(
          `${what}: the other origin got ${name} with ${url}: ${String(headers[name.toLowerCase()])}`,
        );
    }
  }
}

export function twoOriginCases(fixtures: string): Case[] {
  const refused = (label: string, path: (other: string) => string): Case => ({
    name: `two origins over HTTP: refuses ${label}, the other origin gets no request`,
    run: () =>
      withOrigins(fixtures, async (o) => {
        const p = path(o.other);
        o.setPaths([p]);
        await expectFailure(
          () => loadKerasModel(`${o.model}/m/model.json`, {requestInit: {headers: HEADERS}}),
          /paths\[0\] '.*' resolves to .*, outside the model's folder http:\/\/127\.0\.0\.1:\d+\/m\//,
          label,
        );
        if (o.otherLog.length > 0) throw new Error(`${label}: the other origin got ${o.otherLog[0].url}`);
      }),
  });
  return [
    refused('an absolute URL to another origin', (other) => `${other}/w/${SHARD}`),
    refused(
      'a protocol-relative URL to another origin',
      (other) => `${other.replace('http:', '')}/w/${SHARD}`,
    ),
    {
      name: "two origins over HTTP: an allowed other origin loads without the caller's headers",
      run: (env) =>
        withOrigins(fixtures, async (o) => {
          o.setPaths([`${o.other}/w/${SHARD}`]);
          await loadAndCheck(
            `${o.model}/m/model.json`,
            {
              allowShardsFrom: [`${o.other}/w/`],
              requestInit: {headers: HEADERS, credentials: 'include'},
            },
            await env.expected(FIXTURE),
          );
          expectNoCallerHeaders(o.otherLog, 'allowed origin');
        }),
    },
    {
      name: "two origins over HTTP: a redirect to an allowed other origin is followed without the caller's headers",
      run: (env) =>
        withOrigins(fixtures, async (o) => {
          o.setPaths(['redirect.bin']);
          await loadAndCheck(
            `${o.model}/m/model.json`,
            {requestInit: {headers: HEADERS}, allowShardsFrom: [`${o.other}/w/`]},
            await env.expected(FIXTURE),
          );
          expectNoCallerHeaders(o.otherLog, 'redirect');
        }),
    },
  ];
}
