/**
 * What each thread of a threaded fused recurrence does (thread_pool.ts starts the threads), and the
 * control block at the start of their shared memory through which the main thread hands out a call.
 *
 * A call is one job: the projection P = x Wᵀ + b with its rows split across `projThreads` threads,
 * a barrier, then each step's U h with the column panels of U split across `stepThreads` threads
 * (each thread writes its columns of the step's rows, masked rows included) and a barrier after
 * every step, since the next step reads every column of this one. Rows and panels are whole gemm
 * units, so each output's sum keeps the one-thread order: the results are bitwise those of one
 * thread.
 *
 * Barriers: each thread counts the barriers it reached in its own slot (a cache line apart, so the
 * counters do not share one); a thread waits until every participant's count reaches its own. Counts
 * are compared by their wrapped difference, so they may run past 2^31. The main thread spins
 * (browsers forbid Atomics.wait there); workers spin a while and then Atomics.wait, counted in
 * WAITERS so an arriving thread calls Atomics.notify only when someone sleeps.
 */
import type {Gemm, GemmCall} from './blocked_gemm.js';

/** The most threads a pool may have (the control block holds one counter per thread). */
export const MAX_THREADS = 16;

/** The control block's int32 slots; the job's fields start at fieldsAt, in JOB_FIELDS order. */
export const CONTROL = {
  /** Incremented (and notified) by the main thread to hand out a job. */
  jobSeq: 0,
  /** Workers asleep in Atomics.wait on a barrier counter. */
  waiters: 1,
  fieldsAt: 2,
  /** Thread r's barrier count is at progressAt + r * progressStride (64 bytes apart). */
  progressAt: 64,
  progressStride: 16,
} as const;

/** Int32 slots of the control block; the operands start after it (a multiple of 4 floats). */
export const CONTROL_INTS = CONTROL.progressAt + CONTROL.progressStride * MAX_THREADS;

/**
 * A job's fields, in control-block order (index i at CONTROL.fieldsAt + i): the one list both the
 * main thread's writer and the workers' reader go by, and the Job type's keys. Offsets are floats
 * into the shared memory (mask: bytes, or -1); na and nb are stored as float32 bits, the rest as int32.
 */
export const JOB_FIELDS = [
  // 1 runs the call; 0 tells the workers to stop.
  'kind',
  // How long a thread waits at one barrier before giving up (tuning.ts' WASM_THREADS_STALL_MS).
  'stallMs',
  'threads',
  'projThreads',
  'stepThreads',
  'mBlock',
  'kBlock',
  // The projection's A (x), B (Wᵀ), C (P), D (bias, one row for all) and sizes; pm 0: none to do.
  'pa',
  'pb',
  'pc',
  'pd',
  'pm',
  'pk',
  'time',
  'batch',
  'backward',
  'h0',
  'uT',
  'out',
  // Each step adds its rows of `addend` (addendStride apart, or one row for all when 0).
  'addend',
  'addendStride',
  // U's depth (units, or 0 without recurrent weights) and the padded units.
  'uk',
  'cols',
  'code',
  'na',
  'nb',
  'mask',
] as const;

/** A job: JOB_FIELDS' values. */
export type Job = Record<(typeof JOB_FIELDS)[number], number>;

if (CONTROL.fieldsAt + JOB_FIELDS.length > CONTROL.progressAt) {
  throw new Error(
    `the control block's ${CONTROL.progressAt - CONTROL.fieldsAt} job slots hold no more fields`,
  );
}

/** The fields stored as float32 bits. */
export const FLOAT_FIELDS: readonly (keyof Job)[] = ['na', 'nb'];

/** Views of the shared memory a share works on (taken after the memory's last growth). */
export interface SharedViews {
  control: Int32Array;
  f32: Float32Array;
  u8: Uint8Array;
}

/** The blocked product of blocked_gemm.ts, passed in so this function stays self-contained. */
export type Blocked = (gemm: Gemm, call: GemmCall, mBlock: number, kBlock: number) => void;

/**
 * Thread `rank`'s share of `job`. Self-contained (no reference to anything outside its parameters):
 * the workers' source is this function's text. `columnsPerPanel` is the weights' panel width
 * (recurrence_binary.ts' PANEL_COLUMNS): threads split U's columns at panel boundaries, where the
 * module's layout lets a call start.
 */
export function runShare(
  job: Job,
  rank: number,
  gemm: Gemm,
  blocked: Blocked,
  views: SharedViews,
  control: typeof CONTROL,
  columnsPerPanel: number,
  mayWait: boolean,
): void {
  const {f32, u8} = views;
  const slots = views.control;
  const slot = (r: number) => control.progressAt + r * control.progressStride;
  // A thread that never arrives (a worker terminated or crashed) must not hang the page: after
  // job.stallMs at one barrier, the share throws (the pool is then discarded, thread_pool.ts).
  let since = 0;
  const stalled = (): boolean => {
    const now = Date.now();
    if (since === 0) since = now;
    return now - since > job.stallMs;
  };
  const barrier = (participants: number): void => {
    const mine = (Atomics.load(slots, slot(rank)) + 1) | 0;
    Atomics.store(slots, slot(rank), mine);
    if (Atomics.load(slots, control.waiters) > 0) Atomics.notify(slots, slot(rank));
    since = 0;
    for (let r = 0; r < participants; r++) {
      for (let spins = 1; ; spins++) {
        const seen = Atomics.load(slots, slot(r));
        if (((seen - mine) | 0) >= 0) break;
        if ((spins & 0xffff) === 0 && stalled()) {
          throw new Error(`thread ${r} did not reach a barrier within ${job.stallMs} ms`);
        }
        if (!mayWait || spins < 20000) continue;
        Atomics.add(slots, control.waiters, 1);
        Atomics.wait(slots, slot(r), seen, 50);
        Atomics.sub(slots, control.waiters, 1);
        if (stalled()) throw new Error(`thread ${r} did not reach a barrier within ${job.stallMs} ms`);
      }
    }
  };
  const {cols, mBlock, kBlock} = job;
  if (job.pm > 0 && rank < job.projThreads) {
    const from = Math.floor((job.pm * rank) / job.projThreads);
    const to = Math.floor((job.pm * (rank + 1)) / job.projThreads);
    const a = job.pa + from * job.pk;
    const c = job.pc + from * cols;
    const call = {
      a,
      aStride: job.pk,
      b: job.pb,
      c,
      cStride: cols,
      d: job.pd,
      dStride: 0,
      m: to - from,
      k: job.pk,
      n: cols,
      code: 0,
      na: 0,
      nb: 0,
    };
    if (to > from) blocked(gemm, call, mBlock, kBlock);
  }
  // Every thread passes this barrier or none does: P must be whole before any thread's first step.
  if (job.pm > 0 && (job.projThreads > 1 || job.stepThreads > 1)) barrier(job.threads);
  if (rank >= job.stepThreads) return;
  const panels = Math.ceil(cols / columnsPerPanel);
  const c0 = Math.floor((panels * rank) / job.stepThreads) * columnsPerPanel;
  const c1 = Math.min(cols, Math.floor((panels * (rank + 1)) / job.stepThreads) * columnsPerPanel);
  // The job's fields the step loop reads, as locals: read once, not once a step.
  const {time, batch, backward, out, addend, addendStride, uT, uk, code, na, nb, mask} = job;
  const stepStride = time * cols;
  const dStride = addendStride === 0 ? 0 : stepStride;
  const b = uT + c0 * uk;
  let prev = job.h0;
  let prevStride = cols;
  for (let step = 0; step < time; step++) {
    const t = backward ? time - 1 - step : step;
    const row = out + t * cols;
    if (c1 > c0) {
      const d = addend + t * addendStride;
      // One literal (no spread): this runs once a step, and V8 copies spread objects slowly.
      const call = {
        a: prev,
        aStride: prevStride,
        b,
        c: row + c0,
        cStride: stepStride,
        d: d + c0,
        dStride,
        m: batch,
        k: uk,
        n: c1 - c0,
        code,
        na,
        nb,
      };
      blocked(gemm, call, mBlock, kBlock);
      if (mask >= 0) {
        for (let n = 0; n < batch; n++) {
          if (u8[mask + n * time + t] !== 0) continue;
          const source = prev + n * prevStride;
          f32.copyWithin(row + n * stepStride + c0, source + c0, source + c1);
        }
      }
    }
    if (job.stepThreads > 1) barrier(job.stepThreads);
    prev = row;
    prevStride = stepStride;
  }
}
