/**
 * Checks of input values that live on a GPU, made when a result is read instead of at the call: an op
 * that read such an input at the call would wait for the GPU to finish everything queued before it.
 * A check holds its own reference to the input, reads it when any result of the call is first read
 * (alongside that read, so it adds no round trip) and makes that read reject (or dataSync throw) with
 * the check's message. Its reference is released once it has read the values, or once every result
 * of the call is disposed unread.
 */
import {engine, keep, Tensor} from '@tensorflow/tfjs-core';

import {BackendHooks, hookBackend} from '../contracts/backend_hooks.js';

type Values = Awaited<ReturnType<Tensor['data']>>;

class DeferredCheck {
  private verdict: Promise<Error | null> | null = null;
  private settled: Error | null | undefined = undefined;
  private input: Tensor | null;

  constructor(
    input: Tensor,
    private readonly check: (values: Values) => void,
    private unreadResults: number,
  ) {
    // A reference of the check's own, so that disposing the input does not take its values away.
    this.input = keep(input.clone());
  }

  private judge(values: Values): Error | null {
    this.release();
    try {
      this.check(values);
      this.settled = null;
    } catch (e) {
      this.settled = e instanceof Error ? e : new Error(String(e));
    }
    return this.settled;
  }

  async read(): Promise<Error | null> {
    if (this.settled !== undefined) return this.settled;
    this.verdict ??= this.input!.data().then((values) => this.judge(values));
    return this.verdict;
  }

  readSync(): Error | null {
    if (this.settled !== undefined) return this.settled;
    return this.judge(this.input!.dataSync());
  }

  resultDisposed(): void {
    this.unreadResults--;
    if (this.unreadResults === 0 && this.verdict == null) this.release();
  }

  private release(): void {
    this.input?.dispose();
    this.input = null;
  }
}

const checks = new WeakMap<object, DeferredCheck>();

/** The checks as backend hooks: reads wait for the check of their result, disposals count down. */
const HOOKS: BackendHooks = {
  read: (dataId) => checks.get(dataId)?.read() ?? null,
  readSync: (dataId) => checks.get(dataId)?.readSync() ?? null,
  released: (dataId) => {
    checks.get(dataId)?.resultDisposed();
    checks.delete(dataId);
  },
};

/**
 * Makes reads of every tensor in `results` (found in nested objects and arrays) wait for
 * `check(input's values)` and fail with what it throws.
 */
export function deferCheck(input: Tensor, check: (values: Values) => void, results: unknown): void {
  const dataIds = new Set<object>();
  const collect = (value: unknown): void => {
    if (value instanceof Tensor) dataIds.add(value.dataId);
    else if (value != null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(results);
  if (dataIds.size === 0) return;
  hookBackend(engine().backend, 'deferredChecks', HOOKS);
  const deferred = new DeferredCheck(input, check, dataIds.size);
  for (const dataId of dataIds) checks.set(dataId, deferred);
}
