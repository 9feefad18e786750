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
 * 512 units in float32, ~724 in float16. Below that (and for a single step, where the persistent loop
 * costs nothing extra) persistent wins; above it stepwise does. The threshold lives in tuning.ts, to be
 * set from measurements on the target GPU.
 */
import {recurrentWeightsLayout} from './recurrent_weights_layout.js';
import {
  MAX_SPLITS,
  MAX_STEPS_PER_DISPATCH,
  MIN_SEGMENT,
  PERSISTENT_MAX_WEIGHT_BYTES,
  REGISTER_SEGMENT_MAX,
  STEPWISE_QUADS,
  STEP_MACS_PER_DISPATCH,
  UNROLL,
} from './tuning.js';

export interface DeviceLimits {
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupSizeX: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeWorkgroupsPerDimension: number;
}

/** What the recurrence plans of both variants (this file's and conv/strategy.ts') hold in common. */
export interface RecurrencePlanBase {
  strategy: 'persistent' | 'stepwise';
  /** Invocations per workgroup. */
  threads: number;
  /** Invocations sharing one output's sum, each over a share of its terms (1 for none). */
  splits: number;
  /** Steps per dispatch: 1 when stepwise; when persistent, as many as a dispatch may take. */
  stepsPerDispatch: number;
  /** Workgroups of one dispatch. */
  dispatch: [number, number, number];
}

export interface RecurrencePlan extends RecurrencePlanBase {
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
  // Here threads = quads * splits, the splits are segments of the input dimension, and the dispatch is
  // [row blocks] when persistent, [column blocks, row blocks] when stepwise.
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

type Choice = Pick<RecurrencePlan, 'strategy' | 'quads' | 'splits' | 'rows' | 'stepsPerDispatch'>;

function persistentChoice(batch: number, units: number, limits: DeviceLimits): Choice | null {
  const quads = recurrentWeightsLayout(units, false).quads;
  if (quads > maxThreads(limits)) return null;
  // More rows per workgroup reuse each U word for several rows, which matters once there are more
  // rows than multiprocessors to spread them over; 64 rows in parallel is a safe lower bound for those.
  for (let rows = Math.min(4, Math.max(1, Math.ceil(batch / 64))); rows >= 1; rows--) {
    const stateBytes = 2 * rows * units * F32_BYTES;
    if (stateBytes + rows * quads * VEC4_BYTES > limits.maxComputeWorkgroupStorageSize) continue;
    const splits = chooseSplits(quads, rows, units, stateBytes, limits);
    const macsPerStep = rows * units * units;
    const stepsPerDispatch = Math.max(
      1,
      Math.min(MAX_STEPS_PER_DISPATCH, Math.floor(STEP_MACS_PER_DISPATCH / macsPerStep)),
    );
    return {strategy: 'persistent', quads, splits, rows, stepsPerDispatch};
  }
  return null;
}

function stepwiseChoice(batch: number, units: number, limits: DeviceLimits): Choice {
  const quads = Math.min(STEPWISE_QUADS, recurrentWeightsLayout(units, false).quads, maxThreads(limits));
  // Rows per workgroup: each U word read is reused this many times; 4 keeps the accumulators in
  // registers (4 rows x vec4) while still giving batch / 4 workgroups along the batch.
  let rows = Math.min(batch, 4);
  while (rows > 1 && rows * quads * VEC4_BYTES > limits.maxComputeWorkgroupStorageSize) rows--;
  const splits = chooseSplits(quads, rows, units, 0, limits);
  return {strategy: 'stepwise', quads, splits, rows, stepsPerDispatch: 1};
}

export function planRecurrence(
  shape: {batch: number; time: number; units: number; float16: boolean},
  limits: DeviceLimits,
): RecurrencePlan {
  const {batch, units} = shape;
  const weightBytes = units * units * (shape.float16 ? 2 : 4);
  let choice: Choice | null = null;
  if (shape.time === 1 || weightBytes <= PERSISTENT_MAX_WEIGHT_BYTES) {
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
  const threads = quads * splits;
  return {
    ...choice,
    units,
    unitQuads,
    segment,
    threads,
    outputsPerInvocation: Math.ceil((rows * quads * 4) / threads),
    // Larger slices would spill registers, so they are re-read from memory every step instead.
    registerU: strategy === 'persistent' && segment <= REGISTER_SEGMENT_MAX,
    unroll: UNROLL,
    dispatch: strategy === 'persistent' ? [rowBlocks, 1, 1] : [Math.ceil(unitQuads / quads), rowBlocks, 1],
  };
}

/** The plan's fields a recurrence shader bakes in: its part of the program's shader key. */
export function planKey(plan: RecurrencePlan): string {
  const {strategy, units, quads, splits, rows, registerU, unroll} = plan;
  return [strategy, units, quads, splits, rows, registerU ? 'regU' : 'memU', unroll].join('_');
}
