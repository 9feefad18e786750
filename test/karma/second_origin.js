/**
 * A second origin for the loader's specs, and a record of what reaches it.
 *
 * karma's server listens on every local address, so a page loaded from http://localhost:<port> can
 * reach the same server as http://127.0.0.1:<port>: another origin for the browser, with nothing more
 * to start. Under /second-origin/<token>/ this middleware serves, on either host:
 *
 *   .../<anything>/<fixture>/<file>   test/fixtures/keras/<fixture>/<file>, readable from any origin
 *                                     (CORS `*`, so never with credentials); for model.json,
 *                                     `?paths=<JSON list>` replaces the manifest's shard paths
 *   any of those with `?redirect=<URL>`   a 302 to that URL
 *
 * and records each request (host, method, path and the headers a leak would show) under <token>;
 * GET /second-origin-log/<token> returns that record as JSON. A spec picks a fresh token, so the two
 * browsers, which share this server, never read each other's requests.
 */
import {Buffer} from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import {URL} from 'node:url';

const PREFIX = '/second-origin/';
const LOG_PREFIX = '/second-origin-log/';
/** Headers that would show the caller's credentials reaching this server. */
const RECORDED_HEADERS = ['authorization', 'x-api-key', 'cookie', 'access-control-request-headers'];

function secondOriginFactory(config) {
  const fixtures = path.join(config.basePath, 'test', 'fixtures', 'keras');
  /** @type {Map<string, object[]>} token → requests */
  const logs = new Map();

  return function secondOrigin(req, res, next) {
    const url = new URL(req.url, 'http://placeholder');
    if (url.pathname.startsWith(LOG_PREFIX)) {
      const token = url.pathname.slice(LOG_PREFIX.length);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(logs.get(token) || []));
      return;
    }
    if (!url.pathname.startsWith(PREFIX)) return next();

    const [token, ...rest] = url.pathname.slice(PREFIX.length).split('/');
    const headers = {};
    for (const name of RECORDED_HEADERS) if (req.headers[name] != null) headers[name] = req.headers[name];
    if (!logs.has(token)) logs.set(token, []);
    logs.get(token).push({host: req.headers.host, method: req.method, path: url.pathname, headers});

    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.statusCode = 204;
      res.end();
      return;
    }
    const redirect = url.searchParams.get('redirect');
    if (redirect != null) {
      res.statusCode = 302;
      res.setHeader('location', redirect);
      res.end();
      return;
    }
    const [fixture, file] = rest.slice(-2);
    const filePath = path.join(fixtures, path.basename(fixture || ''), path.basename(file || ''));
    if (!fixture || !file || !fs.existsSync(filePath)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    let body = fs.readFileSync(filePath);
    const paths = url.searchParams.get('paths');
    if (file === 'model.json' && paths != null) {
      const json = JSON.parse(body.toString('utf8'));
      json.weightsManifest[0].paths = JSON.parse(paths);
      body = Buffer.from(JSON.stringify(json));
    }
    res.end(body);
  };
}
secondOriginFactory.$inject = ['config'];

export default {'middleware:second-origin': ['factory', secondOriginFactory]};
