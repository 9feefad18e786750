/**
 * A URL model in the browser with two real origins: karma's server as the page's own host and as the
 * other loopback name (localhost ↔ 127.0.0.1), through test/karma/second_origin.cjs, which serves the
 * fixture on both and logs what each request carried. The other origin must never be asked for a
 * refused path, and must never see the caller's headers (not even in a CORS preflight) when a path is
 * allowed or a redirect would lead there.
 */
import {expect} from 'chai';
import {loadKerasModel} from 'tfjs-single-gate-rnn';

import {describeAllBackends} from '../util/backends.js';
import {Expected, expectFailure} from './cases.js';
import {CALLER_HEADERS as HEADERS, FIXTURE, loadAndCheck, SHARD} from './manifest_cases.js';

interface Logged {
  host: string;
  method: string;
  path: string;
  headers: Record<string, string>;
}

const OWN = location.origin;
const OTHER_HOST = location.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
const OTHER = `${location.protocol}//${OTHER_HOST}:${location.port}`;

let tokens = 0;

/** A fresh place under the middleware: its folders on both origins and its request log. */
function scratch() {
  const token = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${tokens++}`;
  const folder = (origin: string, name: string): string =>
    `${origin}/second-origin/${token}/${name}/${FIXTURE}/`;
  return {
    /** model.json in the own origin's `m` folder, its manifest's paths replaced by `paths`. */
    modelUrl: (paths: string[]) =>
      `${folder(OWN, 'm')}model.json?paths=${encodeURIComponent(JSON.stringify(paths))}`,
    folder,
    async log(): Promise<Logged[]> {
      const response = await fetch(`${OWN}/second-origin-log/${token}`);
      return (await response.json()) as Logged[];
    },
  };
}

async function expected(): Promise<Expected> {
  return (await (await fetch(`/base/test/fixtures/keras/${FIXTURE}/expected.json`)).json()) as Expected;
}

const otherHost = (log: Logged[]): Logged[] => log.filter((r) => r.host === new URL(OTHER).host);

function expectNoCallerHeaders(log: Logged[]): void {
  for (const request of log) {
    expect(request.headers, `${request.method} ${request.path}`).to.not.have.any.keys(
      'authorization',
      'x-api-key',
      'cookie',
    );
    expect(
      request.headers['access-control-request-headers'] ?? '',
      `${request.method} ${request.path}`,
    ).to.not.match(/authorization|x-api-key/i);
  }
}

describeAllBackends('Keras loader with two origins (karma as localhost and 127.0.0.1)', () => {
  const refusedCases: [string, (s: ReturnType<typeof scratch>) => string][] = [
    ['an absolute URL to the other origin', (s) => `${s.folder(OTHER, 'w')}${SHARD}`],
    [
      'a protocol-relative URL to the other origin',
      (s) => `${s.folder(OTHER, 'w').replace(/^https?:/, '')}${SHARD}`,
    ],
    ['an absolute path on the own origin', (s) => `${new URL(s.folder(OWN, 'elsewhere')).pathname}${SHARD}`],
    ['.. above the model folder', () => `../../elsewhere/${FIXTURE}/${SHARD}`],
    ['a data: URL', () => 'data:application/octet-stream;base64,AAAA'],
  ];
  for (const [label, path] of refusedCases) {
    it(`refuses ${label}; only model.json is requested`, async () => {
      const s = scratch();
      const p = path(s);
      await expectFailure(
        () => loadKerasModel(s.modelUrl([p]), {requestInit: {headers: HEADERS}}),
        /paths\[0\] '.*' resolves to .*, outside the model's folder .*\/second-origin\/.*\/m\/k2-sequential-simple-rnn\//,
        label,
      );
      const log = await s.log();
      expect(log.map((r) => [r.host, r.path])).to.deep.equal([
        [location.host, new URL(s.modelUrl([])).pathname],
      ]);
      // The model's own origin does get the caller's headers.
      expect(log[0].headers['authorization']).to.equal(HEADERS.Authorization);
    });
  }

  it("loads shards from an allowed other origin without the caller's headers or credentials", async () => {
    const s = scratch();
    await loadAndCheck(
      s.modelUrl([`${s.folder(OTHER, 'w')}${SHARD}`]),
      {
        allowShardsFrom: [`${OTHER}/second-origin/`],
        requestInit: {headers: HEADERS, credentials: 'include'},
      },
      await expected(),
    );
    const other = otherHost(await s.log());
    expect(other.map((r) => r.method)).to.deep.equal(['GET']);
    expectNoCallerHeaders(other);
  });

  it("refuses a redirect while it carries the caller's headers; the other origin gets nothing", async () => {
    const s = scratch();
    const target = `${s.folder(OTHER, 'w')}${SHARD}`;
    await expectFailure(
      () =>
        loadKerasModel(s.modelUrl([`${SHARD}?redirect=${encodeURIComponent(target)}`]), {
          requestInit: {headers: HEADERS},
        }),
      /the server redirects, and a redirect is not followed with requestInit\.headers/,
      'redirect with headers',
    );
    expect(otherHost(await s.log())).to.deep.equal([]);
  });

  it('follows a redirect into an allowed folder on another origin when there are no headers to protect', async () => {
    const s = scratch();
    const target = `${s.folder(OTHER, 'w')}${SHARD}`;
    await loadAndCheck(
      s.modelUrl([`${SHARD}?redirect=${encodeURIComponent(target)}`]),
      {allowShardsFrom: [s.folder(OTHER, 'w')]},
      await expected(),
    );
    const other = otherHost(await s.log());
    expect(other.map((r) => [r.method, r.path])).to.deep.equal([['GET', new URL(target).pathname]]);
    expectNoCallerHeaders(other);
  });

  it('refuses a redirect to another origin the options do not allow', async () => {
    const s = scratch();
    const target = `${s.folder(OTHER, 'w')}${SHARD}`;
    await expectFailure(
      () => loadKerasModel(s.modelUrl([`${SHARD}?redirect=${encodeURIComponent(target)}`])),
      /the server redirects to .*, outside the model's folder/,
      'redirect elsewhere',
    );
  });
});
