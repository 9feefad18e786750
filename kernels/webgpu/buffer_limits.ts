/**
 * Checks, before anything is allocated or dispatched, that every buffer a call binds fits the device.
 * A buffer past maxBufferSize cannot be created, and one past maxStorageBufferBindingSize cannot be
 * bound; either way the dispatch would fail on the GPU timeline, after the op has returned, and the
 * output would read back as zeros. Checked here, the caller gets an error naming the buffer instead.
 */
export interface BufferNeed {
  /** What the buffer holds, as the error names it: 'output', 'recurrentWeights (prepared)', ... */
  readonly name: string;
  readonly shape: readonly number[];
  readonly bytesPerElement: number;
  /** What to change to make it smaller, for the error. */
  readonly advice: string;
}

import type {DeviceLimits} from './strategy.js';

type BufferLimits = Pick<GPUSupportedLimits, 'maxBufferSize' | 'maxStorageBufferBindingSize'>;

/** What to change when a buffer of the sequence (x, the output, states, the mask) is too large. */
export const SEQUENCE_ADVICE =
  'run the batch in parts, or shorter sequences one after the other (initialState)';

/** The need of a float32 input the call binds as it is, or none where the input is absent. */
export function inputNeed(
  name: string,
  tensor: {shape: readonly number[]} | null | undefined,
  advice: string,
): BufferNeed[] {
  return tensor == null ? [] : [{name, shape: tensor.shape, bytesPerElement: 4, advice}];
}

/** Throws for the first buffer that exceeds the device's buffer or binding size limit. */
export function checkBufferLimits(needs: readonly BufferNeed[], limits: BufferLimits): void {
  const [limitName, limit] =
    limits.maxStorageBufferBindingSize <= limits.maxBufferSize
      ? ['maxStorageBufferBindingSize', limits.maxStorageBufferBindingSize]
      : ['maxBufferSize', limits.maxBufferSize];
  for (const need of needs) {
    const bytes = need.shape.reduce((a, b) => a * b, need.bytesPerElement);
    if (bytes > limit) {
      throw new Error(
        `SingleGateRNN on webgpu: ${need.name} [${need.shape.join(', ')}] takes ${bytes} bytes, more than ` +
          `this device's ${limitName} (${limit} bytes); ${need.advice}`,
      );
    }
  }
}

/** Every limit the kernels read. */
type KernelLimits = BufferLimits & DeviceLimits;
const limitsCache = new WeakMap<GPUDevice, KernelLimits>();

/**
 * The device's limits the kernels read, as a plain object read once per device: each field of
 * GPUSupportedLimits is a getter into the native binding (Dawn in Node), and planning a call reads
 * dozens of them (on an H100, 5% of a single-step call's host time went to planRecurrence's reads).
 */
export function limitsOf(device: GPUDevice): KernelLimits {
  let limits = limitsCache.get(device);
  if (limits == null) {
    const all = device.limits;
    limits = {
      maxStorageBufferBindingSize: all.maxStorageBufferBindingSize,
      maxBufferSize: all.maxBufferSize,
      maxComputeInvocationsPerWorkgroup: all.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: all.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupStorageSize: all.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: all.maxComputeWorkgroupsPerDimension,
    };
    limitsCache.set(device, limits);
  }
  return limits;
}
