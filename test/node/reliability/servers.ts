/**
 * Local HTTP servers for the loader's reliability cases: the model's origin and another one, on two
 * ports of 127.0.0.1, each logging the requests it gets. Each case gives the handlers.
 */
import {readFile} from 'node:fs/promises';
import {createServer, IncomingMessage, Server, ServerResponse} from 'node:http';
import {AddressInfo} from 'node:net';
import {join} from 'node:path';

import {FIXTURE, SHARD} from '../../keras/manifest_cases.js';

export type Handler = (req: IncomingMessage, res: ServerResponse, origins: Origins) => void;

export interface Origins {
  /** http://127.0.0.1:port of the model's server, which serves the fixture under /m/. */
  model: string;
  other: string;
  /** Requests each got: 'model' or 'other', the URL and its headers. */
  log: {server: 'model' | 'other'; url: string; headers: IncomingMessage['headers']}[];
  /** The fixture's model.json (parsed; a case may change it before loading) and shard. */
  json: {weightsManifest: {paths: string[]}[]};
  shard: Buffer;
}

function listen(server: Server): Promise<string> {
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

/**
 * Starts both servers, runs `body`, stops them (closing every connection). `model` answers first;
 * requests for /m/model.json and /m/<shard> it leaves unanswered get the fixture, others 404.
 */
export async function withServers(
  fixtures: string,
  handlers: {model?: Handler; other?: Handler},
  body: (origins: Origins) => Promise<void>,
): Promise<void> {
  const origins: Origins = {
    model: '',
    other: '',
    log: [],
    json: JSON.parse(await readFile(join(fixtures, FIXTURE, 'model.json'), 'utf8')) as Origins['json'],
    shard: await readFile(join(fixtures, FIXTURE, SHARD)),
  };
  const serve =
    (server: 'model' | 'other', handler: Handler | undefined) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      origins.log.push({server, url: req.url ?? '', headers: req.headers});
      handler?.(req, res, origins);
      if (res.headersSent || res.writableEnded) return;
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (server === 'model' && path === '/m/model.json')
        res.writeHead(200).end(JSON.stringify(origins.json));
      else if (path === `/m/${SHARD}` || path === `/w/${SHARD}`) res.writeHead(200).end(origins.shard);
      else res.writeHead(404).end();
    };
  const servers = [
    createServer(serve('model', handlers.model)),
    createServer(serve('other', handlers.other)),
  ];
  origins.model = await listen(servers[0]);
  origins.other = await listen(servers[1]);
  try {
    await body(origins);
  } finally {
    await Promise.all(servers.map((s) => new Promise((done) => s.close(done).closeAllConnections())));
  }
}
