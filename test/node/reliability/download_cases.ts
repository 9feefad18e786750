/**
 * Downloads with bounds (issue 22, item 7) and network errors that name the URL (item 12's loader
 * part), over real HTTP: a gzip bomb, a body far larger than the manifest, a stalled body, an abort,
 * a dropped connection, a server that is not there, and model URLs that are not http(s).
 */
import {createGzip} from 'node:zlib';
import type {ServerResponse} from 'node:http';
import {loadKerasModel} from 'tfjs-single-gate-rnn';

import {Case, expectFailure} from '../../keras/cases.js';
import {SHARD} from '../../keras/manifest_cases.js';
import {withServers} from './servers.js';

const MB = 1024 * 1024;
const SHARD_URL = `http://127\\.0\\.0\\.1:\\d+/m/${SHARD}`;

/** `megabytes` MiB of zeros, gzipped (about 1 KiB per MiB). */
function gzippedZeros(megabytes: number): Promise<Buffer> {
  return new Promise((done, fail) => {
    const gzip = createGzip();
    const parts: Buffer[] = [];
    gzip.on('data', (part: Buffer) => parts.push(part));
    gzip.on('end', () => done(Buffer.concat(parts)));
    gzip.on('error', fail);
    const zeros = Buffer.alloc(MB);
    for (let i = 0; i < megabytes; i++) gzip.write(zeros);
    gzip.end();
  });
}

/** Writes `total` bytes in 1 MiB chunks as the client reads them; `sent.bytes` counts what went out. */
function stream(res: ServerResponse, total: number, sent: {bytes: number}): void {
  res.writeHead(200, {'content-type': 'application/octet-stream'});
  const chunk = Buffer.alloc(MB, 1);
  const next = (): void => {
    while (sent.bytes < total) {
      sent.bytes += chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', next);
        return;
      }
    }
    res.end();
  };
  res.on('close', () => res.removeAllListeners('drain'));
  next();
}

async function bounded(ms: number, what: string, run: () => Promise<void>): Promise<void> {
  const rss = process.memoryUsage().rss;
  const start = performance.now();
  await run();
  const took = performance.now() - start;
  if (took > ms) throw new Error(`${what} took ${took.toFixed(0)} ms, more than ${ms}`);
  const grew = process.memoryUsage().rss - rss;
  if (grew > 150 * MB) throw new Error(`${what}: RSS grew by ${(grew / MB).toFixed(0)} MiB`);
}

const isShard = (url: string | undefined): boolean => (url ?? '').startsWith(`/m/${SHARD}`);

export function downloadCases(fixtures: string): Case[] {
  return [
    {
      name: 'downloads: a gzip bomb shard (512 MiB inflated) is stopped at the manifest size',
      run: async () => {
        const bomb = await gzippedZeros(512);
        await withServers(
          fixtures,
          {
            model: (req, res) => {
              if (isShard(req.url)) res.writeHead(200, {'content-encoding': 'gzip'}).end(bomb);
            },
          },
          (o) =>
            bounded(3000, 'the gzip bomb', () =>
              expectFailure(
                () => loadKerasModel(`${o.model}/m/model.json`),
                /fetching weight shard .*: the shards of weight group 1 passed the 456 bytes its 10 weights need/,
                'gzip bomb',
              ),
            ),
        );
      },
    },
    {
      name: 'downloads: a 300 MB body for a 456-byte manifest is not read whole',
      run: () => {
        const sent = {bytes: 0};
        return withServers(
          fixtures,
          {model: (req, res) => isShard(req.url) && stream(res, 300 * MB, sent)},
          async (o) => {
            await bounded(3000, 'the large body', () =>
              expectFailure(
                () => loadKerasModel(`${o.model}/m/model.json`),
                /passed the 456 bytes its 10 weights need \(at \d+ bytes, reading stopped\)/,
                'large body',
              ),
            );
            // Let the server notice the closed connection.
            await new Promise((done) => setTimeout(done, 200));
            if (sent.bytes > 100 * MB) throw new Error(`the server sent ${sent.bytes / MB} MiB`);
          },
        );
      },
    },
    {
      name: 'downloads: a stalled body ends after options.timeoutMs with an error naming the URL',
      run: () =>
        withServers(
          fixtures,
          {model: (req, res) => isShard(req.url) && res.writeHead(200).write(Buffer.alloc(10))},
          (o) =>
            bounded(3000, 'the stalled body', () =>
              expectFailure(
                () => loadKerasModel(`${o.model}/m/model.json`, {timeoutMs: 300}),
                new RegExp(
                  `fetching weight shard ${SHARD_URL}: no data for 300 ms \\(options\\.timeoutMs\\)`,
                ),
                'stalled body',
              ),
            ),
        ),
    },
    {
      name: "downloads: the caller's abort names the URL",
      run: () =>
        withServers(
          fixtures,
          {model: (req, res) => isShard(req.url) && res.writeHead(200).write(Buffer.alloc(10))},
          async (o) => {
            const controller = new AbortController();
            setTimeout(() => controller.abort(), 200);
            await expectFailure(
              () => loadKerasModel(`${o.model}/m/model.json`, {requestInit: {signal: controller.signal}}),
              new RegExp(`fetching weight shard ${SHARD_URL}: .*abort`, 'i'),
              'abort',
            );
          },
        ),
    },
    {
      name: 'downloads: a dropped connection names the URL',
      run: () =>
        withServers(
          fixtures,
          {
            model: (req, res) => {
              if (!isShard(req.url)) return;
              res.writeHead(200, {'content-length': '456'}).write(Buffer.alloc(100));
              setTimeout(() => res.destroy(), 50);
            },
          },
          (o) =>
            expectFailure(
              () => loadKerasModel(`${o.model}/m/model.json`),
              new RegExp(`fetching weight shard ${SHARD_URL}: (terminated|.*other side closed)`),
              'dropped connection',
            ),
        ),
    },
    {
      name: 'downloads: a server that is not there is named',
      run: async () => {
        let gone = '';
        await withServers(fixtures, {}, (o) => Promise.resolve(void (gone = o.model)));
        await expectFailure(
          () => loadKerasModel(`${gone}/m/model.json`),
          /fetching model\.json http:\/\/127\.0\.0\.1:\d+\/m\/model\.json: fetch failed \(.*ECONNREFUSED/,
          'refused connection',
        );
      },
    },
    {
      name: 'model URLs: a data: URL is refused with the URL and what is supported',
      run: () =>
        expectFailure(
          () => loadKerasModel('data:application/json,{}'),
          /the model URL 'data:application\/json,\{\}' is a data: URL; loadKerasModel fetches model\.json over http\(s\) only/,
          'data: model URL',
        ),
    },
    {
      name: 'model URLs: indexeddb:// in Node says no handler is registered here',
      run: () =>
        expectFailure(
          () => loadKerasModel('indexeddb://my-model'),
          /the model URL 'indexeddb:\/\/my-model' is a indexeddb: URL.*No tfjs IOHandler is registered for indexeddb:\/\/ here/,
          'indexeddb in Node',
        ),
    },
  ];
}
