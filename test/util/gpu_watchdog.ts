/**
 * A watchdog on every WebGPU readback the specs make. A shader that never finishes, or a shader
 * compiler that never returns, leaves `data()` pending forever: the spec would wait for mocha's
 * timeout, every later GPU spec would wait as long again, and CI would stall until karma gave up on the
 * browser without saying which shape hung. With the watchdog the first read that takes longer than
 * GPU_WATCHDOG_MS fails its spec, naming the spec (whose title names the shape) and the tensor read;
 * every later GPU read then fails at once, naming the read that hung, since the device is still busy.
 */
import {WebGPUBackend} from '@tensorflow/tfjs-backend-webgpu';
import type {BackendValues} from '@tensorflow/tfjs-core';

/**
 * Longest a single readback may take. The slowest legitimate spec read (a stepwise 1024-unit case on a
 * software renderer, shaders compiled on first use) takes a few seconds; mocha's own timeout is 60 s.
 */
export const GPU_WATCHDOG_MS = 30_000;

let currentSpec = '(no spec running)';

/** What a watchdog rejects with when time runs out. */
export class WatchdogTimeout extends Error {
  override name = 'WatchdogTimeout';
}

/** Resolves or rejects as `work` does, unless `ms` pass first: then rejects, naming `what`. */
export function withinWatchdog<T>(work: Promise<T>, what: string, ms = GPU_WATCHDOG_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const alarm = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new WatchdogTimeout(`GPU watchdog: ${what} did not finish within ${ms / 1000} s`)),
      ms,
    );
  });
  return Promise.race([work, alarm]).finally(() => clearTimeout(timer));
}

const INSTALLED = Symbol.for('tfjs-single-gate-rnn.gpuWatchdog');

/** What a read needs of the backend: its tensors' shapes and dtypes, to name the tensor it reads. */
type ReadingBackend = {tensorMap: {get(dataId: object): {shape: number[]; dtype: string} | undefined}};

/**
 * `read` behind the watchdog: a read that takes longer than `ms` rejects, naming the running spec
 * and the tensor; every later read then rejects at once, naming the read that hung (the device is
 * still busy with it). Each watched read keeps its own record of a hung read.
 */
export function watchedRead(
  read: (this: ReadingBackend, dataId: object) => Promise<BackendValues>,
  ms = GPU_WATCHDOG_MS,
): (this: ReadingBackend, dataId: object) => Promise<BackendValues> {
  let hung: string | null = null;
  return function (this: ReadingBackend, dataId: object): Promise<BackendValues> {
    const data = this.tensorMap.get(dataId);
    const tensor = data == null ? 'a tensor' : `a [${data.shape.join(', ')}] ${data.dtype} tensor`;
    if (hung != null) {
      return Promise.reject(new Error(`GPU watchdog: ${tensor} not read, the GPU has not finished ${hung}`));
    }
    const what = `reading ${tensor} in "${currentSpec}"`;
    return withinWatchdog(read.call(this, dataId), what, ms).catch((e: unknown) => {
      if (e instanceof WatchdogTimeout) hung = what;
      throw e;
    });
  };
}

/**
 * Wraps WebGPUBackend's asynchronous read (what `Tensor.data()` and `array()` end in) and records each
 * spec's title. Idempotent: spec bundles that each import the setup install it once.
 */
export function installGpuWatchdog(): void {
  const proto = WebGPUBackend.prototype as WebGPUBackend & {[INSTALLED]?: true};
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  // Called with the backend as `this`, as the engine calls it.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const read = proto.read;
  proto.read = watchedRead(read);
  beforeEach(function () {
    currentSpec = this.currentTest?.fullTitle() ?? '(unnamed spec)';
  });
}
