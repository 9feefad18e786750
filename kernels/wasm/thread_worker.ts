/**
 * The worker threads' code, as source text made from this package's own functions (workerMain,
 * runShare and blockedGemm, each self-contained) so that it runs from the bundled package: a browser
 * starts it from a Blob URL, Node as an eval'd worker_threads script. No separate worker file for a
 * bundler or server to find.
 */
import {blockedGemm, type Gemm} from './blocked_gemm.js';
import {type Blocked, type CONTROL, type Job, runShare, type SharedViews} from './thread_share.js';

/** The first (and only) message a worker receives. */
export interface WorkerInit {
  /** The shared-memory build of the fused module (recurrence_binary.ts), compiled in the worker. */
  bytes: Uint8Array;
  memory: WebAssembly.Memory;
  rank: number;
  control: typeof CONTROL;
  controlInts: number;
  fields: readonly string[];
  floatFields: readonly string[];
  columnsPerPanel: number;
}

/** What a worker answers to its WorkerInit: ready, or why it cannot run. */
export interface WorkerReply {
  rank: number;
  error?: string;
}

/** The messaging of a worker's global scope, the same on both platforms. */
export interface WorkerPort {
  on(listener: (message: unknown) => void): void;
  post(message: unknown): void;
}

/**
 * A worker's life: compile the module on the shared memory, say so, then take jobs for good (a
 * worker blocks in its job loop; it is stopped by a job of kind 0 or by terminate). Self-contained:
 * everything it uses comes in as a parameter.
 */
export function workerMain(port: WorkerPort, share: typeof runShare, blocked: Blocked): void {
  port.on((message) => {
    const init = message as WorkerInit;
    let gemm: Gemm;
    try {
      const module = new WebAssembly.Module(init.bytes as BufferSource);
      const instance = new WebAssembly.Instance(module, {env: {memory: init.memory}});
      gemm = instance.exports.gemm as Gemm;
    } catch (e) {
      port.post({rank: init.rank, error: String(e)});
      return;
    }
    const {control, controlInts} = init;
    // Read before saying ready: the main thread hands out no job before every worker is ready.
    let seen = Atomics.load(new Int32Array(init.memory.buffer, 0, controlInts), control.jobSeq);
    port.post({rank: init.rank});
    for (;;) {
      const slots = new Int32Array(init.memory.buffer, 0, controlInts);
      // A short spin first: calls come back to back in a model, and a wake-up costs tens of µs.
      for (let spins = 0; Atomics.load(slots, control.jobSeq) === seen; spins++) {
        if (spins > 20000) Atomics.wait(slots, control.jobSeq, seen);
      }
      seen = Atomics.load(slots, control.jobSeq);
      // The memory may have grown since the last job: views of its current buffer.
      const buffer = init.memory.buffer;
      const views: SharedViews = {
        control: new Int32Array(buffer, 0, controlInts),
        f32: new Float32Array(buffer),
        u8: new Uint8Array(buffer),
      };
      const floats = new Float32Array(buffer, 0, controlInts);
      const job: Record<string, number> = {};
      init.fields.forEach((name, i) => {
        const at = control.fieldsAt + i;
        job[name] = init.floatFields.includes(name) ? floats[at] : views.control[at];
      });
      if (job.kind === 0) return;
      share(job as unknown as Job, init.rank, gemm, blocked, views, control, init.columnsPerPanel, true);
    }
  });
}

/** The workers' source for a browser (`self`) or Node (worker_threads' parentPort). */
export function workerSource(platform: 'browser' | 'node'): string {
  const port =
    platform === 'node'
      ? "const {parentPort} = require('node:worker_threads');\n" +
        "const port = {on: (f) => parentPort.on('message', f), post: (m) => parentPort.postMessage(m)};"
      : 'const port = {on: (f) => { self.onmessage = (e) => f(e.data); }, post: (m) => self.postMessage(m)};';
  return `${port}\n(${workerMain.toString()})(port, ${runShare.toString()}, ${blockedGemm.toString()});\n`;
}
