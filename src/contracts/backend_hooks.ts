/**
 * The one place that wraps a backend's `read`, `readSync` and `disposeData`. Three things need to
 * act on them and tfjs announces neither reads nor disposals: the deferred checks of values that live
 * on a GPU (src/sequence/deferred_checks.ts), the GPU's error verdicts on a webgpu call
 * (kernels/webgpu/error_scopes.ts) and the webgpu weights cache (kernels/webgpu/recurrent_weights_cache.ts).
 * Each registers its hooks under a name; the backend's methods are wrapped once, whoever comes first,
 * and every hook of the backend is consulted on each read and disposal.
 */
import type {DataId, KernelBackend} from '@tensorflow/tfjs-core';

/** What one user of the hooks does on a read or disposal of `dataId`; each part optional. */
export interface BackendHooks {
  /**
   * An asynchronous read is about to happen: the error it must reject with, as a promise awaited
   * together with the read (so it adds no round trip); null where the hook has nothing on `dataId`.
   */
  read?(dataId: DataId): Promise<Error | null> | null;
  /** A synchronous read (`dataSync`) is about to happen: the error it must throw, or null. */
  readSync?(dataId: DataId): Error | null;
  /**
   * The backend has released `dataId` (or will once the queued work that reads it is submitted).
   * `disposeData` is the backend's own, unhooked, for data the hook keeps alongside.
   */
  released?(dataId: DataId, disposeData: (dataId: DataId, force?: boolean) => boolean): void;
}

type Hooked = 'read' | 'readSync' | 'disposeData';
type Method = ((...args: never[]) => unknown) & {[WRAPPER]?: true};

/** Marks the wrappers, so a method replaced since (and put back) gets wrapped again. */
const WRAPPER = Symbol('singleGateRNN.backendHooks');
const hooksOf = new WeakMap<KernelBackend, Map<string, BackendHooks>>();

/**
 * Consults `hooks` on every read and disposal of `backend` from now on. A second registration under
 * the same `name` replaces the first.
 */
export function hookBackend(backend: KernelBackend, name: string, hooks: BackendHooks): void {
  let registered = hooksOf.get(backend);
  if (registered == null) {
    registered = new Map();
    hooksOf.set(backend, registered);
  }
  registered.set(name, hooks);
  wrapMethods(backend);
}

function firstError(errors: ReadonlyArray<Error | null>): Error | null {
  return errors.find((error) => error != null) ?? null;
}

/** The wrapper of each method: the hooks first, then the method it wraps. */
function wrappers(backend: KernelBackend): {[K in Hooked]: (original: KernelBackend[K]) => KernelBackend[K]} {
  const hooks = (): BackendHooks[] => [...(hooksOf.get(backend)?.values() ?? [])];
  return {
    read: (read) => async (dataId: DataId) => {
      const verdicts = hooks()
        .map((hook) => hook.read?.(dataId) ?? null)
        .filter((verdict) => verdict != null);
      if (verdicts.length === 0) return read(dataId);
      // Together: each verdict and the readback wait for the device, and awaiting them in turn added
      // most of a millisecond to every read in Node (Dawn).
      const [values, ...errors] = await Promise.all([read(dataId), ...verdicts]);
      const error = firstError(errors);
      if (error != null) throw error;
      return values;
    },
    readSync: (readSync) => (dataId: DataId) => {
      const error = firstError(hooks().map((hook) => hook.readSync?.(dataId) ?? null));
      if (error != null) throw error;
      return readSync(dataId);
    },
    // Every disposed tensor reaches disposeData, also one whose data lives on in another tensor (a
    // reshape shares its input's data): the hooks hear of it once the backend has freed the data.
    disposeData: (disposeData) => (dataId: DataId, force?: boolean) => {
      const freed = disposeData(dataId, force);
      if (freed) for (const hook of hooks()) hook.released?.(dataId, disposeData);
      return freed;
    },
  };
}

/** Wraps each method of `backend` that is not wrapped yet. */
function wrapMethods(backend: KernelBackend): void {
  const methods = backend as unknown as Record<Hooked, Method>;
  const wrap = wrappers(backend);
  for (const name of Object.keys(wrap) as Hooked[]) {
    const current = methods[name];
    if (current[WRAPPER]) continue;
    const original = ((...args: never[]) => current.apply(backend, args)) as Method;
    const wrapper = (wrap[name] as unknown as (original: Method) => Method)(original);
    wrapper[WRAPPER] = true;
    methods[name] = wrapper;
  }
}
