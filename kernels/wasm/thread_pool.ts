/**
 * Threads for the fused wasm recurrence: `setWasmThreads(n)` starts n - 1 workers, each with the
 * shared-memory build of the module on one shared WebAssembly.Memory, and the kernel then hands a
 * call's work out to them (thread_share.ts) where it is large enough (tuning.ts). tfjs kernels are
 * synchronous, so the workers are started ahead of time, by this explicit async opt-in; the default
 * is one thread. Threads need SharedArrayBuffer: in a browser, a cross-origin isolated page.
 */
import {type FusedModule, sharedFusedModule} from './fused_module.js';
import {PANEL_COLUMNS} from './recurrence_binary.js';
import {CONTROL, CONTROL_INTS, FLOAT_FIELDS, type Job, JOB_FIELDS, MAX_THREADS} from './thread_share.js';
import {type WorkerInit, type WorkerReply, workerSource} from './thread_worker.js';

/** A started worker, whichever the platform. */
interface WorkerHandle {
  post(message: unknown): void;
  terminate(): void;
  unref?: () => void;
}

/** The threads of the fused recurrence: the main thread's instance on the shared memory, and workers. */
export interface ThreadPool {
  threads: number;
  module: FusedModule;
  workers: WorkerHandle[];
}

let pool: ThreadPool | null = null;
/** setWasmThreads calls run one after the other, each on the pool the last one left. */
let queue: Promise<void> = Promise.resolve();

/** The threads in use, or null for one thread. */
export function threadPool(): ThreadPool | null {
  return pool;
}

/** The threads the fused wasm recurrence runs on (1 unless setWasmThreads chose more). */
export function getWasmThreads(): number {
  return pool?.threads ?? 1;
}

/**
 * Runs the wasm backend's SingleGateRNN on `threads` threads from now on: this thread and
 * `threads - 1` workers, started here (await it before the calls that should use them). 1 stops the
 * workers. Calls whose work is too small for a barrier per step to pay keep one thread. Independent
 * of tfjs-backend-wasm's own `setThreadsCount` (its XNNPACK threads). Needs SharedArrayBuffer: in
 * a browser, a cross-origin isolated page (served with `Cross-Origin-Opener-Policy: same-origin`
 * and `Cross-Origin-Embedder-Policy: require-corp`); in Node, always there.
 */
export function setWasmThreads(threads: number): Promise<void> {
  const next = queue.then(() => replacePool(threads));
  queue = next.catch(() => undefined);
  return next;
}

async function replacePool(threads: number): Promise<void> {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new Error(
      `setWasmThreads: threads must be an integer from 1 to ${MAX_THREADS}, got ${String(threads)}`,
    );
  }
  if (threads === (pool?.threads ?? 1)) return;
  const platform = threads > 1 ? threadPlatform(threads) : null;
  const old = pool;
  pool = null;
  if (old) stopPool(old);
  if (platform == null) return;
  let shared: ReturnType<typeof sharedFusedModule>;
  try {
    shared = sharedFusedModule();
  } catch (e) {
    throw new Error(
      `setWasmThreads(${threads}): the fused wasm recurrence's shared-memory module does not run here ` +
        `(it needs WebAssembly SIMD and threads): ${String(e)}`,
      {cause: e},
    );
  }
  const {module, bytes} = shared;
  const workers: WorkerHandle[] = [];
  try {
    for (let rank = 1; rank < threads; rank++) {
      const init: WorkerInit = {
        bytes,
        memory: module.memory,
        rank,
        control: CONTROL,
        controlInts: CONTROL_INTS,
        fields: JOB_FIELDS,
        floatFields: FLOAT_FIELDS,
        columnsPerPanel: PANEL_COLUMNS,
      };
      workers.push(await startWorker(platform, init));
    }
  } catch (e) {
    stopPool({threads, module, workers});
    throw new Error(`setWasmThreads(${threads}): a worker did not start: ${(e as Error).message}`, {
      cause: e,
    });
  }
  pool = {threads, module, workers};
}

/** Where workers come from here, or an error saying why threads cannot run. */
function threadPlatform(threads: number): 'browser' | 'node' {
  const scope = globalThis as {crossOriginIsolated?: boolean; process?: {versions?: {node?: string}}};
  if (typeof SharedArrayBuffer === 'undefined' || scope.crossOriginIsolated === false) {
    throw new Error(
      `setWasmThreads(${threads}): threads need SharedArrayBuffer, and this page has none ` +
        `(crossOriginIsolated: expected true, got ${String(scope.crossOriginIsolated)}); serve it with ` +
        "'Cross-Origin-Opener-Policy: same-origin' and 'Cross-Origin-Embedder-Policy: require-corp'",
    );
  }
  if (typeof Worker === 'function') return 'browser';
  if (scope.process?.versions?.node != null) return 'node';
  throw new Error(`setWasmThreads(${threads}): this runtime has neither Web Workers nor worker_threads`);
}

/** The part of Node's worker_threads used here (typed here: the browser build has no Node types). */
interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: 'message' | 'error', listener: (value: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}
type NodeWorkerThreads = {Worker: new (source: string, options: {eval: true}) => NodeWorker};

const sources: Partial<Record<'browser' | 'node', string>> = {};

/** Starts one worker, sends it `init` and resolves once it reports ready. */
async function startWorker(platform: 'browser' | 'node', init: WorkerInit): Promise<WorkerHandle> {
  const source = (sources[platform] ??= workerSource(platform));
  let handle: WorkerHandle;
  let listen: (onMessage: (m: unknown) => void, onError: (e: unknown) => void) => void;
  if (platform === 'browser') {
    const url = URL.createObjectURL(new Blob([source], {type: 'text/javascript'}));
    const worker = new Worker(url);
    URL.revokeObjectURL(url);
    handle = {post: (m) => worker.postMessage(m), terminate: () => worker.terminate()};
    listen = (onMessage, onError) => {
      worker.onmessage = (e) => onMessage(e.data);
      worker.onerror = (e) => onError(new Error(e.message));
    };
  } else {
    // A computed name: browser bundlers must not try to resolve a Node module.
    const name = 'node:worker_threads';
    const threads = (await import(/* webpackIgnore: true */ /* @vite-ignore */ name)) as NodeWorkerThreads;
    const worker = new threads.Worker(source, {eval: true});
    handle = {
      post: (m) => worker.postMessage(m),
      terminate: () => void worker.terminate(),
      // Idle workers must not keep a Node process from exiting. Called once the worker is ready:
      // adding a 'message' listener refs the worker again.
      unref: () => worker.unref(),
    };
    listen = (onMessage, onError) => {
      worker.on('message', onMessage);
      worker.on('error', onError);
    };
  }
  try {
    await new Promise<void>((resolve, reject) => {
      listen(
        (m) => {
          const reply = m as WorkerReply;
          if (reply.error != null) reject(new Error(`worker ${reply.rank}: ${reply.error}`));
          else resolve();
        },
        (e) => reject(e instanceof Error ? e : new Error(String(e))),
      );
      handle.post(init);
    });
  } catch (e) {
    handle.terminate();
    throw e;
  }
  handle.unref?.();
  return handle;
}

/** Stops `broken` (a worker stopped answering) if it is still the pool in use: one thread from now on. */
export function discardPool(broken: ThreadPool): void {
  if (pool !== broken) return;
  pool = null;
  stopPool(broken);
}

/** Tells the workers to leave their job loop, then terminates them. */
function stopPool(stopping: ThreadPool): void {
  const slots = new Int32Array(stopping.module.memory.buffer, 0, CONTROL_INTS);
  slots[CONTROL.fieldsAt + JOB_FIELDS.indexOf('kind')] = 0;
  Atomics.add(slots, CONTROL.jobSeq, 1);
  Atomics.notify(slots, CONTROL.jobSeq);
  for (const worker of stopping.workers) worker.terminate();
}

/** Writes `job` into the control block and wakes the workers (they then run their shares). */
export function postJob(running: ThreadPool, job: Job): void {
  const buffer = running.module.memory.buffer;
  const slots = new Int32Array(buffer, 0, CONTROL_INTS);
  const floats = new Float32Array(buffer, 0, CONTROL_INTS);
  JOB_FIELDS.forEach((name, i) => {
    if (FLOAT_FIELDS.includes(name)) floats[CONTROL.fieldsAt + i] = job[name];
    else slots[CONTROL.fieldsAt + i] = job[name];
  });
  Atomics.add(slots, CONTROL.jobSeq, 1);
  Atomics.notify(slots, CONTROL.jobSeq);
}
