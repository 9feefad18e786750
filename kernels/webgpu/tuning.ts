/**
 * The tunable numbers of the WebGPU kernel, in one place so a benchmark on a new device can change
 * them without hunting through the code. strategy.ts explains the model behind them.
 */

/** Persistent recurrence while U takes at most this many bytes (see strategy.ts). */
export const PERSISTENT_MAX_WEIGHT_BYTES = 1024 * 1024;

/**
 * Multiply-adds one persistent workgroup may do in one dispatch before the step loop is cut into the
 * next dispatch. 2^26 is a few milliseconds on a slow integrated GPU, far below watchdog limits
 * (~2 s on Windows), and one dispatch per 4096 steps at 128 units, so the cut costs nothing measurable.
 */
export const STEP_MACS_PER_DISPATCH = 2 ** 26;

/**
 * Steps one persistent dispatch may run whatever the unit count. A step is latency-bound (barriers,
 * dependent reads), a few microseconds on a discrete GPU and tens on a software one, so with few units
 * the multiply-add budget alone would allow dispatches of seconds.
 */
export const MAX_STEPS_PER_DISPATCH = 1024;

/** Fewer inputs per segment than this and the partial-sum traffic outweighs the extra parallelism. */
export const MIN_SEGMENT = 8;

/** More segments than this and finishing an output (summing the partials) gets long. */
export const MAX_SPLITS = 16;

/**
 * The input projection's tiles (wgsl/projection.ts): a workgroup of PROJECTION_THREADS² invocations
 * owns a PROJECTION_TILE² tile of P, and the reduction advances PROJECTION_SLICE inputs at a time
 * through workgroup memory. TILE must be a multiple of THREADS, and TILE · SLICE of THREADS².
 */
export const PROJECTION_TILE = 64;
export const PROJECTION_SLICE = 16;
export const PROJECTION_THREADS = 16;

/** Units per stepwise workgroup, in quads: 8 quads = 32 units, so 1024 units give 32 column blocks. */
export const STEPWISE_QUADS = 8;

/**
 * Largest slice of U's inputs (per invocation) a persistent workgroup keeps in registers for the whole
 * step loop: 16 inputs x 4 units = 64 floats per invocation. Larger slices would spill, so they are
 * re-read from memory every step instead.
 */
export const REGISTER_SEGMENT_MAX = 16;

/** Reads of U each invocation issues together when it streams U from memory (see wgsl/recurrence/common.ts). */
export const UNROLL = 4;

/**
 * Batch rows up to which finalState is copied out of the output with one buffer copy per row rather
 * than by a program: a copy costs the host about a microsecond to record, a program (uniform buffer,
 * bind group, bookkeeping) some tens.
 */
export const FINAL_STATE_COPY_MAX_ROWS = 16;

/**
 * Recorded dispatches (recorded_dispatches.ts) kept per backend: a recording holds a pipeline, a
 * 256-byte uniform slot per step and a few sets of bind groups, so a few hundred shapes cost little.
 */
export const MAX_RECORDINGS = 256;

/**
 * Traced calls (call_trace.ts) kept per backend: a trace holds only its entries (references to
 * recordings and a few numbers), so as many as there are recordings.
 */
export const MAX_TRACES = 256;

/**
 * Replayed steps recorded before the backend submits them: the GPU starts on a long run while the rest
 * is recorded (a replayed step costs the host about a microsecond, a step of the GPU a few), and a
 * run of fewer steps goes in the call's one submit.
 */
export const STEPS_PER_SUBMIT = 128;
