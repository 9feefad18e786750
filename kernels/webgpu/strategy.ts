/**
 * Plans how the recurrence runs for one shape, from the shape and the device's limits. Every choice a
 * recurrence shader bakes in is made here, so the WGSL generators only write out a plan.
 *
 * The cost model (reasoned for a large discrete GPU, where one workgroup runs on one multiprocessor):
 * - persistent: each workgroup streams all of U (units² weights) from L2 every step, so a step costs
 *   about bytes(U) / (L2 bandwidth of one multiprocessor, ~100 GB/s) plus a few barriers, and no
 *   dispatch. Batch rows run in parallel on separate multiprocessors.
 * - stepwise: every step is a dispatch: ~4 µs on the GPU, plus the backend's per-dispatch bookkeeping
 *   on the CPU (shader key, bind group, a uniform buffer and its upload: ~10-20 µs in a browser, which
 *   the GPU only hides when it has more than that to do per step). U is split over many workgroups and
 *   reused across a tile of batch rows, so a step's own work is tiny.
 * The two cross where streaming U costs about one dispatch with its bookkeeping, ~10 µs, i.e. ~1 MiB:
 * 512 units in float32, ~724 in float16. Below that persistent wins; above it stepwise does. A single
 * step is stepwise whatever U's size: it gains nothing from the loop, and a stepwise dispatch spreads U
 * over many workgroups. Small layers are resident (one invocation per unit, U's row in registers, one
 * barrier per step). The thresholds live in tuning.ts, each with the measurement behind it.
 */
import {recurrentWeightsLayout} from './recurrent_weights_layout.js';
import {
  MAX_SPLITS,
  MAX_STEPS_PER_DISPATCH,
  MIN_SEGMENT,
  CHUNK_STEPS,
  PERSISTENT_MAX_WEIGHT_BYTES,
  PERSISTENT_PARALLEL_ROWS,
  REGISTER_SEGMENT_MAX,
  RESIDENT_MAX_UNITS,
  SINGLE_STEP_PERSISTENT_MAX_WEIGHT_BYTES,
  STEPWISE_QUADS,
  STEPWISE_ROWS,
  STEP_MACS_PER_DISPATCH,
  UNROLL,
} from './tuning.js';

export interface DeviceLimits {
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupSizeX: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

/** The matrix variant's strategies; the image variant's plans (conv/strategy.ts) have no resident one. */
export type RecurrenceStrategy = 'resident' | 'persistent' | 'stepwise';

/** What the recurrence plans of both variants (this file's and conv/strategy.ts') hold in common. */
export interface RecurrencePlanBase<S extends RecurrenceStrategy = 'persistent' | 'stepwise'> {
  strategy: S;
  /** Invocations per workgroup. */
  threads: number;
  /** Invocations sharing one output's sum, each over a share of its terms (1 for none). */
  splits: number;
  /** Steps per dispatch: 1 when stepwise; when persistent or resident, as many as a dispatch may take. */
  stepsPerDispatch: number;
  /** Workgroups of one dispatch. */
  dispatch: [number, number, number];
}

export interface RecurrencePlan extends RecurrencePlanBase<RecurrenceStrategy> {
  /** Units of the layer (baked into the shader's indexing). */
  units: number;
  /** Quads (groups of four units) of the whole layer. */
  unitQuads: number;
  /** Quads per workgroup: all of them when persistent. */
  quads: number;
  /** Inputs j per segment: ceil(units / splits). */
  segment: number;
  /** Batch rows per workgroup. */
  rows: number;
  /**
   * Output elements each invocation finishes per step: rows * quads * 4 spread over the threads. The
   * shaders loop over them (never unrolled by hand: SwiftShader's compiler time grows exponentially
   * with unrolled guarded stores).
   */
  outputsPerInvocation: number;
  /** Persistent only: U's slice stays in registers for the whole step loop (else re-read per step). */
  registerU: boolean;
  /** Reads of U each invocation issues together when it streams U from memory. */
  unroll: number;
  /**
   * Persistent: steps whose P and h one chunk of workgroup memory holds (wgsl/recurrence/common.ts,
   * chunkedStepLoop); 0 for the others (resident fetches P a step ahead instead).
   */
  chunkSteps: number;
  // Here threads = quads * splits (units when resident), the splits are segments of the input
  // dimension, and the dispatch is [row blocks] when persistent or resident, [column blocks, row
  // blocks] when stepwise.
}

const VEC4_BYTES = 16;
/** Bytes of one float32 in workgroup or storage memory. */
export const F32_BYTES = 4;

/** The most invocations a one-dimensional workgroup may have on this device. */
export function maxThreads(limits: DeviceLimits): number {
  return Math.min(limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
}

/** Largest power-of-two split that fits the thread and storage budgets (at least 1). */
function chooseSplits(
  quads: number,
  rows: number,
  units: number,
  fixedStorage: number,
  limits: DeviceLimits,
): number {
  let splits = 1;
  const fits = (s: number): boolean =>
    quads * s <= maxThreads(limits) &&
    fixedStorage + s * rows * quads * VEC4_BYTES <= limits.maxComputeWorkgroupStorageSize;
  while (splits * 2 <= MAX_SPLITS && Math.ceil(units / (splits * 2)) >= MIN_SEGMENT && fits(splits * 2)) {
    splits *= 2;
  }
  return splits;
}

type Choice = Pick<
  RecurrencePlan,
  'strategy' | 'quads' | 'splits' | 'rows' | 'stepsPerDispatch' | 'chunkSteps'
>;

/** Steps of P and h that fit the workgroup memory left after `usedBytes`, at most CHUNK_STEPS (0: none). */
function chunkStepsFor(
  rows: number,
  quads: number,
  usedBytes: number,
  stepsPerDispatch: number,
  limits: DeviceLimits,
): number {
  const perStep = rows * quads * VEC4_BYTES;
  const fit = Math.floor((limits.maxComputeWorkgroupStorageSize - usedBytes) / perStep);
  return Math.max(0, Math.min(CHUNK_STEPS, stepsPerDispatch, fit));
}

function persistentChoice(batch: number, units: number, limits: DeviceLimits): Choice | null {
  const quads = recurrentWeightsLayout(units, false).quads;
  if (quads > maxThreads(limits)) return null;
  // More rows per workgroup reuse each U word for several rows: every workgroup streams all of U
  // each step, so beyond PERSISTENT_PARALLEL_ROWS workgroups their U traffic outgrows L2.
  for (let rows = Math.min(4, Math.max(1, Math.ceil(batch / PERSISTENT_PARALLEL_ROWS))); rows >= 1; rows--) {
    const macsPerStep = rows * units * units;
    const stepsPerDispatch = Math.max(
      1,
      Math.min(MAX_STEPS_PER_DISPATCH, Math.floor(STEP_MACS_PER_DISPATCH / macsPerStep)),
    );
    // Resident: one invocation per unit, its row of U in registers (wgsl/recurrence/resident.ts); h as
    // vec4 words, partials unused (one word per quad declared).
    const residentBytes = 2 * rows * quads * VEC4_BYTES + rows * quads * VEC4_BYTES;
    if (
      units <= RESIDENT_MAX_UNITS &&
      4 * quads <= maxThreads(limits) &&
      residentBytes <= limits.maxComputeWorkgroupStorageSize
    ) {
      return {strategy: 'resident', quads, splits: 1, rows, stepsPerDispatch, chunkSteps: 0};
    }
    // Persistent: at least one step of the chunk (P and h of every owned element) besides h and partials.
    const chunkStep = rows * quads * VEC4_BYTES;
    const stateBytes = 2 * rows * units * F32_BYTES;
    if (stateBytes + rows * quads * VEC4_BYTES + chunkStep > limits.maxComputeWorkgroupStorageSize) continue;
    const splits = chooseSplits(quads, rows, units, stateBytes + chunkStep, limits);
    const used = stateBytes + splits * rows * quads * VEC4_BYTES;
    const chunkSteps = chunkStepsFor(rows, quads, used, stepsPerDispatch, limits);
    return {strategy: 'persistent', quads, splits, rows, stepsPerDispatch, chunkSteps};
  }
  return null;
}

function stepwiseChoice(batch: number, units: number, limits: DeviceLimits): Choice {
  const quads = Math.min(STEPWISE_QUADS, recurrentWeightsLayout(units, false).quads, maxThreads(limits));
  // Rows per workgroup: each U word read is reused this many times; 4 keeps the accumulators in
  // registers (4 rows x vec4) while still giving batch / 4 workgroups along the batch.
  let rows = Math.min(batch, STEPWISE_ROWS);
  while (rows > 1 && rows * quads * VEC4_BYTES > limits.maxComputeWorkgroupStorageSize) rows--;
  const splits = chooseSplits(quads, rows, units, 0, limits);
  return {strategy: 'stepwise', quads, splits, rows, stepsPerDispatch: 1, chunkSteps: 0};
}

export function planRecurrence(
  shape: {batch: number; time: number; units: number; float16: boolean},
  limits: DeviceLimits,
): RecurrencePlan {
  const {batch, units} = shape;
  const weightBytes = units * units * (shape.float16 ? 2 : 4);
  let choice: Choice | null = null;
  const persistentMax =
    shape.time === 1 ? SINGLE_STEP_PERSISTENT_MAX_WEIGHT_BYTES : PERSISTENT_MAX_WEIGHT_BYTES;
  if (weightBytes <= persistentMax) {
    choice = persistentChoice(batch, units, limits);
  }
  choice ??= stepwiseChoice(batch, units, limits);
  const {strategy, quads, splits, rows} = choice;
  // Row blocks go along one dispatch dimension; folding them into two would break the shaders' row
  // indexing, so a batch that needs more is refused rather than computed partly.
  const rowBlocks = Math.ceil(batch / rows);
  if (rowBlocks > limits.maxComputeWorkgroupsPerDimension) {
    throw new Error(
      `SingleGateRNN on webgpu: batch ${batch} needs ${rowBlocks} workgroups along one dispatch ` +
        `dimension, more than this adapter's maxComputeWorkgroupsPerDimension ` +
        `(${limits.maxComputeWorkgroupsPerDimension}); run the batch in parts`,
    );
  }
  const unitQuads = recurrentWeightsLayout(units, false).quads;
  const segment = Math.ceil(units / splits);
  const threads = strategy === 'resident' ? 4 * quads : quads * splits;
  return {
    ...choice,
    units,
    unitQuads,
    segment,
    threads,
    outputsPerInvocation: Math.ceil((rows * quads * 4) / threads),
    // Larger slices would spill registers, so they are re-read from memory every step instead.
    registerU: strategy === 'resident' || (strategy === 'persistent' && segment <= REGISTER_SEGMENT_MAX),
    unroll: UNROLL,
    dispatch: strategy === 'stepwise' ? [Math.ceil(unitQuads / quads), rowBlocks, 1] : [rowBlocks, 1, 1],
  };
}

/** The plan's fields a recurrence shader bakes in: its part of the program's shader key. */
export function planKey(plan: RecurrencePlan): string {
  const {strategy, units, quads, splits, rows, registerU, unroll, chunkSteps} = plan;
  return [strategy, units, quads, splits, rows, registerU ? 'regU' : 'memU', unroll, chunkSteps].join('_');
}
