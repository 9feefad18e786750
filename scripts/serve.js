/**
 * A static file server for the demo page (`npm run demo:web`) and its test: node:http and nothing
 * else, GET and HEAD only, files inside one folder only.
 *
 *   node scripts/serve.js [folder] [port]   default build/web on port 8080 (PORT also sets it)
 */
import {createReadStream} from 'node:fs';
import {stat} from 'node:fs/promises';
import {createServer} from 'node:http';
import {extname, join, resolve, sep} from 'node:path';
import {fileURLToPath, URL} from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

/**
 * The headers that make a page cross-origin isolated (SharedArrayBuffer, so wasm threads): sent with
 * every response when `serve` is asked for isolation (the wasm threads page test), never by default.
 * The Chromium benchmark's server (bench/chromium.ts) sends the same list.
 */
export const ISOLATION_HEADERS = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/**
 * Starts serving `folder`; resolves to the server once it listens (port 0 picks a free one). With
 * `isolated`, every response carries ISOLATION_HEADERS.
 */
export function serve(folder, port = 0, {isolated = false} = {}) {
  const root = resolve(folder);
  const server = createServer(async (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, {allow: 'GET, HEAD'}).end();
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      response.writeHead(400).end();
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(join(root, path));
    // The decoded path may hold '..': nothing outside the folder is served.
    if (!file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    const info = await stat(file).catch(() => null);
    if (info == null || !info.isFile()) {
      response.writeHead(404, {'content-type': 'text/plain'}).end(`not found: ${path}\n`);
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-store',
      ...(isolated ? ISOLATION_HEADERS : {}),
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  return new Promise((done, failed) => {
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

// Run as a script, not imported. No top-level await, and import.meta.url may be missing: the Chromium
// benchmark bundles this file (for ISOLATION_HEADERS) as CommonJS, where neither exists.
if (import.meta.url != null && process.argv[1] === fileURLToPath(import.meta.url)) {
  const [folder = join('build', 'web'), port = process.env.PORT ?? '8080'] = process.argv.slice(2);
  serve(folder, Number(port)).then((server) =>
    console.log(`serving ${folder} at http://127.0.0.1:${server.address().port}/ (Ctrl-C stops)`),
  );
}
