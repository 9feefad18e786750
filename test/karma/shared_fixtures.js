/**
 * Serves the fixtures of ../shared (next to the repository, never copied into it) under
 * /shared-fixtures/<path below ../shared/fixtures>, read-only, and nothing outside that folder.
 * Where ../shared is absent every request there is a 404; the specs learn whether it is there (and
 * whether this is CI, where its absence is a failure) from `sharedFixturesClient`, which
 * karma.conf.js passes to the browsers as `client.sharedFixtures`.
 */
import fs from 'node:fs';
import path from 'node:path';
import {URL} from 'node:url';

const PREFIX = '/shared-fixtures/';

/** The shared fixtures folder for a repository at `basePath`. */
export function sharedFixturesDir(basePath) {
  return path.resolve(basePath, '..', 'shared', 'fixtures');
}

/** What the specs are told: whether the folder is there, and whether its absence must fail. */
export function sharedFixturesClient(basePath) {
  return {available: fs.existsSync(sharedFixturesDir(basePath)), ci: process.env.CI === 'true'};
}

function sharedFixturesFactory(config) {
  const root = sharedFixturesDir(config.basePath);
  return function sharedFixtures(req, res, next) {
    const url = new URL(req.url, 'http://placeholder');
    if (!url.pathname.startsWith(PREFIX)) return next();
    const relative = decodeURIComponent(url.pathname.slice(PREFIX.length));
    const file = path.resolve(root, relative);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    res.end(fs.readFileSync(file));
  };
}
sharedFixturesFactory.$inject = ['config'];

export default {'middleware:shared-fixtures': ['factory', sharedFixturesFactory]};
