/**
 * Benchmark in headless Chromium: serves a page with the browser bundle of bench/browser.ts on
 * 127.0.0.1, opens it in a fresh headless Chromium with WebGPU on, prints the progress the page posts,
 * then the same tables as bench/node.ts (webgpu, webgl, then wasm), and writes
 * bench/results/chromium-<adapter>.json for each.
 *
 * Exits non-zero when the page reports an error, Chromium exits first, or the run takes longer than
 * BENCH_TIMEOUT_S seconds (default 1200). On a machine without a GPU, Chromium's WebGPU runs on
 * SwiftShader (bundled with it), where the benchmark uses its reduced set of small shapes.
 *
 * Every response carries scripts/serve.js' ISOLATION_HEADERS, so the page is cross-origin isolated:
 * SharedArrayBuffer for wasm threads (THREADS), and performance.now() at full resolution. Isolated,
 * tfjs-backend-wasm loads its threaded SIMD binary; the ORT report lists the binaries the page fetched.
 *
 * Environment: CHROME_BIN or CHROMIUM_BIN (default `chromium` on the PATH), BENCH_TIMEOUT_S,
 * BENCH_BACKENDS (which of webgpu, webgl, wasm, ort to measure; default all four), and the options of
 * bench/node.ts (SHAPES, ORT_SHAPES, RUNS, THREADS, TFJS_FLAGS, BENCH_OUT, BENCH_ENV).
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {loadavg, tmpdir} from 'node:os';
import {join} from 'node:path';

import {ISOLATION_HEADERS} from '../scripts/serve.js';
import {optionsFromEnv} from './options.js';
import type {BenchReport} from './run.js';
import {formatTable} from './table.js';
import {formatPlainLoopTable, type WasmBenchReport} from './wasm_table.js';
import {writeOrtReport, writeReport} from './write_report.js';
import {formatOrtTable, isOrtReport, type OrtReport} from './ort_table.js';

/** The wasm backend's binaries, served under /wasm/ for the page's setWasmPaths. */
const WASM_DIR = join('node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
const WASM_BINARIES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
];
/** ONNX Runtime Web's binaries and their loaders (which one its bundle picks varies), served under /ort/ for the page's ort.env.wasm.wasmPaths. */
const ORT_DIR = join('node_modules', 'onnxruntime-web', 'dist');
const ORT_BINARIES = readdirSync(ORT_DIR).filter((f) =>
  /^ort-wasm-simd-threaded[.a-z]*\.(wasm|mjs)$/.test(f),
);
/** Where `npm run bench:chromium` puts the page's bundle, relative to the package root. */
const BUNDLE = join('build', 'bench-browser.js');
const DEFAULT_TIMEOUT_S = 1200;
/** The backends the page measures, in this order, unless BENCH_BACKENDS names fewer. */
export const PAGE_BACKENDS = ['webgpu', 'webgl', 'wasm', 'ort'] as const;
export type PageBackend = (typeof PAGE_BACKENDS)[number];

/** BENCH_BACKENDS (comma-separated, e.g. 'webgl,wasm'), checked against PAGE_BACKENDS. */
function backendsFromEnv(env: NodeJS.ProcessEnv): PageBackend[] {
  if (!env.BENCH_BACKENDS) return [...PAGE_BACKENDS];
  const names = env.BENCH_BACKENDS.split(',').map((s) => s.trim());
  const unknown = names.filter((n) => !(PAGE_BACKENDS as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(`BENCH_BACKENDS must name ${PAGE_BACKENDS.join(', ')}; got '${unknown.join("', '")}'`);
  }
  return names as PageBackend[];
}

/** THREADS (the ort rows' thread count on both sides; default 1), checked. */
function threadsFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  if (env.THREADS == null || env.THREADS === '') return undefined;
  const threads = Number(env.THREADS);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`THREADS must be a positive integer; got '${env.THREADS}'`);
  }
  return threads;
}

const PAGE = `<!doctype html>
<html>
  <head><meta charset="utf-8"><title>tfjs-single-gate-rnn benchmark</title></head>
  <body><script type="module" src="/bench.js"></script></body>
</html>
`;

/** The network is closed in CI: keep Chromium from waiting on update, sync and telemetry hosts. */
const QUIET_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function chromiumFlags(userDataDir: string): string[] {
  return [
    '--headless=new',
    // WebGPU stays off on Linux unless asked for; with no GPU, Dawn then uses SwiftShader.
    '--enable-unsafe-webgpu',
    // WebGL on SwiftShader without a GPU (the webgl rows): asked for, as the silent fallback is deprecated.
    '--enable-unsafe-swiftshader',
    '--disable-dev-shm-usage',
    ...QUIET_FLAGS,
    // A fresh profile, so no cache or earlier state changes the timings.
    `--user-data-dir=${userDataDir}`,
    // Chromium's sandbox cannot start as root, which is how CI containers usually run.
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ];
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Sends SIGTERM to Chromium's process group (it starts several processes), SIGKILL if it lingers. */
async function stopChromium(child: ChildProcess): Promise<void> {
  const {pid} = child;
  if (pid == null) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // Already gone.
    }
  };
  if (child.exitCode == null && child.signalCode == null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  // Its GPU and renderer processes may outlive the browser process (after a crash, say).
  signal('SIGKILL');
}

async function main(): Promise<number> {
  const bundle = readFileSync(BUNDLE);
  const options = JSON.stringify({
    ...optionsFromEnv(process.env),
    backends: backendsFromEnv(process.env),
    ortShapes: process.env.ORT_SHAPES ? (JSON.parse(process.env.ORT_SHAPES) as unknown) : undefined,
    threads: threadsFromEnv(process.env),
  });
  const loadAverageBefore = loadavg();
  const timeoutS = Number(process.env.BENCH_TIMEOUT_S ?? DEFAULT_TIMEOUT_S);
  const binary = process.env.CHROME_BIN ?? process.env.CHROMIUM_BIN ?? 'chromium';

  const reports: (BenchReport | OrtReport)[] = [];
  /** The wasm binaries and loaders the page fetched, in order (which build each package picked). */
  const binaries: string[] = [];
  let settle!: (outcome: {done: true} | {error: string}) => void;
  const outcome = new Promise<{done: true} | {error: string}>((resolve) => (settle = resolve));

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    // Cross-origin isolation gives the page SharedArrayBuffer (wasm threads) and performance.now() at
    // a finer resolution (Chromium coarsens it to 100 µs otherwise). Everything the page loads is
    // same-origin, so COEP require-corp blocks none of it.
    const isolation = {...ISOLATION_HEADERS, 'Cache-Control': 'no-store'};
    const route = `${request.method} ${request.url}`;
    if (route === 'GET /') {
      response.writeHead(200, {...isolation, 'Content-Type': 'text/html; charset=utf-8'}).end(PAGE);
    } else if (route === 'GET /bench.js') {
      response.writeHead(200, {...isolation, 'Content-Type': 'text/javascript'}).end(bundle);
    } else if (route === 'GET /options.json') {
      response.writeHead(200, {...isolation, 'Content-Type': 'application/json'}).end(options);
    } else if (route === 'POST /progress') {
      console.log(await readBody(request));
      response.writeHead(204).end();
    } else if (route === 'POST /report') {
      const report = JSON.parse(await readBody(request)) as BenchReport | OrtReport;
      // The page cannot see the host's load, nor count what it fetched: the server adds both to the
      // ONNX Runtime comparison.
      if (isOrtReport(report)) {
        Object.assign(report, {loadAverageBefore, loadAverageAfter: loadavg(), binaries: [...binaries]});
      }
      reports.push(report);
      response.writeHead(204).end();
    } else if (route === 'POST /done') {
      response.writeHead(204).end();
      settle({done: true});
    } else if (
      request.method === 'GET' &&
      WASM_BINARIES.includes(request.url?.replace(/^\/wasm\//, '') ?? '')
    ) {
      const file = join(WASM_DIR, request.url!.slice('/wasm/'.length));
      binaries.push(request.url!);
      response.writeHead(200, {...isolation, 'Content-Type': 'application/wasm'}).end(readFileSync(file));
    } else if (
      request.method === 'GET' &&
      ORT_BINARIES.includes(request.url?.replace(/^\/ort\//, '') ?? '')
    ) {
      const file = join(ORT_DIR, request.url!.slice('/ort/'.length));
      binaries.push(request.url!);
      const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
      response.writeHead(200, {...isolation, 'Content-Type': type}).end(readFileSync(file));
    } else if (route === 'POST /error') {
      const error = await readBody(request);
      response.writeHead(204).end();
      settle({error: `the page failed: ${error}`});
    } else {
      // The favicon and anything else Chromium asks for.
      response.writeHead(404).end();
    }
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((e: unknown) => {
      response.writeHead(500).end();
      settle({error: `the server failed: ${String(e)}`});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;

  const userDataDir = await mkdtemp(join(tmpdir(), 'bench-chromium-'));
  let chromiumLog = '';
  const chromium = spawn(binary, [...chromiumFlags(userDataDir), `http://127.0.0.1:${port}/`], {
    // Its own process group, so stopping it reaches the GPU and renderer processes too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Chromium is chatty on stderr even when all is well: keep the tail, show it only on failure, without
  // the complaints about the D-Bus a container lacks.
  const keep = (chunk: Buffer) => {
    const lines = chunk
      .toString('utf8')
      .split('\n')
      .filter((l) => !/dbus/i.test(l));
    chromiumLog = (chromiumLog + lines.join('\n')).slice(-8000);
  };
  chromium.stdout.on('data', keep);
  chromium.stderr.on('data', keep);
  chromium.on('error', (e) => settle({error: `could not start ${binary}: ${e.message}`}));
  chromium.on('exit', (code, signal) =>
    settle({error: `${binary} exited before the benchmark finished (${signal ?? `code ${code}`})`}),
  );
  // Chromium runs in its own process group, which a Ctrl-C at the terminal does not reach: stop it here.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => settle({error: `interrupted (${signal})`}));
  }
  const timer = setTimeout(
    () => settle({error: `no report after ${timeoutS} s (BENCH_TIMEOUT_S)`}),
    timeoutS * 1000,
  );
  console.log(`${binary}: http://127.0.0.1:${port}/`);

  const result = await outcome;
  clearTimeout(timer);
  await stopChromium(chromium);
  server.close();
  await rm(userDataDir, {recursive: true, force: true});

  if ('error' in result) {
    console.error(result.error);
    if (chromiumLog) console.error(`\nlast output of ${binary}:\n${chromiumLog}`);
    return 1;
  }
  for (const report of reports) {
    if (isOrtReport(report)) {
      for (const line of formatOrtTable(report)) console.log(line);
      console.log(`\nwrote ${writeOrtReport(report, 'chromium')}`);
      continue;
    }
    const lines = formatTable(report);
    if (report.records[0]?.backend === 'wasm') lines.push(...formatPlainLoopTable(report as WasmBenchReport));
    for (const line of lines) console.log(line);
    console.log(`\nwrote ${writeReport(report, 'chromium')}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
