/**
 * Plans how the convolutional recurrence runs for one shape, from the shape and the device's limits;
 * every choice its shaders bake in is made here.
 *
 * The work item is one pixel and one quad (four output channels) of one batch row: it sums U's taps
 * over the kernel window of h_{t-1} into a vec4 accumulator. Two strategies:
 * - persistent: one workgroup per batch row keeps the row's whole state h (height · width · channels
 *   floats) in workgroup memory and loops over the steps inside one dispatch (cut every few thousand
 *   steps for GPU watchdogs). Two barriers a step; no dispatch per step. Only batch rows run in
 *   parallel, so it suits small images, where a step is too small to fill the GPU anyway.
 * - stepwise: one dispatch per step, one invocation per item of every batch row (or `splits`
 *   invocations, each summing a share of the input channels, for long windows: see recurrenceSplits),
 *   h_{t-1} read from the output sequence the previous dispatch wrote. Fills the GPU for large images,
 *   at the cost of a dispatch (and the backend's bookkeeping) per step.
 * Persistent is chosen where the state fits workgroup memory and a row's step is small
 * (CONV_PERSISTENT_MAX_STEP_MACS, tuning.ts).
 */
import {MAX_STEPS_PER_DISPATCH, STEP_MACS_PER_DISPATCH} from '../tuning.js';
import {type DeviceLimits, F32_BYTES, maxThreads, type RecurrencePlanBase} from '../strategy.js';
import {
  CONV_TILE_PIXELS,
  CONV_MAX_SPLITS,
  CONV_PERSISTENT_MAX_STEP_MACS,
  CONV_SPLIT_ABOVE_MACS,
  CONV_SPLIT_MACS,
  CONV_WORKGROUP,
} from './tuning.js';

/** The shape of the recurrence: the image, U's channels and its kernel window. */
export interface ConvRecurrenceShape {
  batch: number;
  time: number;
  height: number;
  width: number;
  /** outputFeatureChannels: U's input and output channels. */
  channels: number;
  /** U's kernel window. */
  kernelHeight: number;
  kernelWidth: number;
}

export interface ConvRecurrencePlan extends RecurrencePlanBase {
  /** Groups of four output channels: ceil(channels / 4). */
  quads: number;
  /** Work items of one batch row: height · width · quads (stepwise: height · ceil(width / tile) · quads). */
  rowItems: number;
  /**
   * Stepwise: neighbouring pixels of an image row one item sums together, sharing each load of U (1
   * when persistent).
   */
  tile: number;
  /** Persistent: items each invocation finishes per step (1 when stepwise). */
  itemsPerInvocation: number;
  // Here splits (stepwise only: 1 when persistent) share out the input channels, a power of 2 dividing
  // `threads`.
}

/** Invocations a persistent workgroup is at least given (one SIMD group on most GPUs). */
const MIN_THREADS = 32;

/** Multiply-adds of one batch row's step: every output element sums over U's window. */
export function rowStepMacs(shape: ConvRecurrenceShape): number {
  const {height, width, channels, kernelHeight, kernelWidth} = shape;
  return height * width * channels * kernelHeight * kernelWidth * channels;
}

/**
 * How many invocations share one item's window sum in the stepwise recurrence (tuning.ts explains the
 * numbers). From U's window and channels only, which the shader key holds already.
 */
export function recurrenceSplits(
  shape: Pick<ConvRecurrenceShape, 'channels' | 'kernelHeight' | 'kernelWidth'>,
): number {
  const serial = shape.kernelHeight * shape.kernelWidth * shape.channels;
  let splits = 1;
  if (serial > CONV_SPLIT_ABOVE_MACS) {
    while (splits < CONV_MAX_SPLITS && 2 * splits <= shape.channels && serial / splits > CONV_SPLIT_MACS) {
      splits *= 2;
    }
  }
  return splits;
}

/**
 * Pixels one item of a window sum `terms` long covers (the stepwise recurrence's and the projection's):
 * CONV_TILE_PIXELS for long windows (those past CONV_SPLIT_ABOVE_MACS, whose weights outgrow the
 * GPU's first-level caches), else 1 (tuning.ts).
 */
export function windowTile(terms: number): number {
  return terms > CONV_SPLIT_ABOVE_MACS ? CONV_TILE_PIXELS : 1;
}

export function planConvRecurrence(shape: ConvRecurrenceShape, limits: DeviceLimits): ConvRecurrencePlan {
  const quads = Math.ceil(shape.channels / 4);
  const stateBytes = shape.height * shape.width * shape.channels * F32_BYTES;
  const macs = rowStepMacs(shape);
  const persistent =
    stateBytes <= limits.maxComputeWorkgroupStorageSize &&
    macs <= CONV_PERSISTENT_MAX_STEP_MACS &&
    shape.batch <= limits.maxComputeWorkgroupsPerDimension;
  if (persistent) {
    const rowItems = shape.height * shape.width * quads;
    const threads = Math.min(maxThreads(limits), Math.max(MIN_THREADS, Math.ceil(rowItems / 32) * 32));
    return {
      strategy: 'persistent',
      quads,
      rowItems,
      threads,
      tile: 1,
      splits: 1,
      itemsPerInvocation: Math.ceil(rowItems / threads),
      stepsPerDispatch: Math.max(
        1,
        Math.min(MAX_STEPS_PER_DISPATCH, Math.floor(STEP_MACS_PER_DISPATCH / macs)),
      ),
      dispatch: [shape.batch, 1, 1],
    };
  }
  const threads = Math.min(CONV_WORKGROUP, maxThreads(limits));
  const splits = recurrenceSplits(shape);
  const tile = windowTile(shape.kernelHeight * shape.kernelWidth * shape.channels);
  const rowItems = shape.height * Math.ceil(shape.width / tile) * quads;
  // The backend folds a count past the per-dimension limit into y and z (getGlobalIndex undoes it).
  return {
    strategy: 'stepwise',
    quads,
    rowItems,
    threads,
    tile,
    splits,
    itemsPerInvocation: 1,
    stepsPerDispatch: 1,
    dispatch: [Math.ceil((shape.batch * rowItems * splits) / threads), 1, 1],
  };
}
