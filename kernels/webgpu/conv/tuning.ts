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
 * context: there the stepwise recurrence is as fast or faster at every shape tried (8x8 to 24x24
 * images, 8 to 32 channels, windows of 3 and 5; e.g. 764 against 941 ms at (1, 30, 8, 8, 32, 32, 3)),
 * so this number is set from the GPU model above, to be checked on the target GPU.
 */
export const CONV_PERSISTENT_MAX_STEP_MACS = 2 ** 21;

/** Invocations per workgroup of the one-invocation-per-item programs (the projection, the stepwise recurrence). */
export const CONV_WORKGROUP = 64;
