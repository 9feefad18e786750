/**
 * The tunable numbers of the convolutional recurrence, in one place (as ../tuning.ts for the matrix
 * kernel); strategy.ts explains the model behind them.
 */

/**
 * Persistent recurrence while one batch row's step costs at most this many multiply-adds
 * (height · width · channels · kernelHeight · kernelWidth · channels of U). One workgroup does a whole
 * row's step, so past this a step takes longer on one multiprocessor than a dispatch of the step over
 * the whole GPU. 2^21 is about 10 µs of one multiprocessor of a large discrete GPU, the cost of a
 * dispatch with the backend's bookkeeping.
 *
 * Measured in Node (Dawn) on SwiftShader, a CPU, where each barrier switches every invocation's
 * context (whole op, median of 5): persistent wins only on the smallest image, (1, 50, 4, 4, 8, 8, 3)
 * 11.0 against 19.4 ms; from 8x8 images on the stepwise recurrence is faster there, e.g. 687 against
 * 958 ms at (1, 100, 8, 8, 32, 32, 3) and 12.7 against 16.0 ms at (1, 16, 8, 8, 8, 8, 3). A GPU has no
 * such barrier cost and a far larger cost per dispatch, so this number follows the GPU model above; a
 * run on the target GPU should check it.
 */
export const CONV_PERSISTENT_MAX_STEP_MACS = 2 ** 21;

/** Invocations per workgroup of the one-invocation-per-item programs (the projection, the stepwise recurrence). */
export const CONV_WORKGROUP = 64;
