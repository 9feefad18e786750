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
 */
export const CONV_PERSISTENT_MAX_STEP_MACS = 2 ** 21;

/** Invocations per workgroup of the stepwise recurrence (one invocation per pixel and quad of channels). */
export const CONV_STEPWISE_WORKGROUP = 64;
