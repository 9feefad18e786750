/**
 * The tunable numbers of the WebGPU kernel, in one place so a benchmark on a new device can change
 * them without hunting through the code. strategy.ts explains the model behind them.
 */

/** Persistent recurrence while U takes at most this many bytes (see strategy.ts). */
export const PERSISTENT_MAX_WEIGHT_BYTES = 1024 * 1024;

/**
 * The same threshold for a single step: none, since a single step gains nothing from the persistent
 * loop while its few workgroups (one per batch row) each stream all of U, and a stepwise dispatch
 * spreads U over many. H100, recurrence GPU time, clocks raised: (8, 1, 512, 512) 34 µs persistent,
 * 9 µs stepwise; (1, 1, 256, 256) 13 µs and 9.5 µs.
 */
export const SINGLE_STEP_PERSISTENT_MAX_WEIGHT_BYTES = 0;

/**
 * Units up to which the recurrence is resident (wgsl/recurrence/resident.ts): one invocation per unit
 * holds its row of U in registers, units / 4 vec4 registers. H100, recurrence GPU time, clocks raised:
 * (1, 672, 32, 32) 0.242 ms resident, 0.280 ms persistent; (1, 1000, 128, 128) 0.570 and 0.593.
 */
export const RESIDENT_MAX_UNITS = 128;

/**
 * Steps whose P and h the persistent strategy keeps in workgroup memory at a time, so that a step
 * itself touches no global memory (fewer where workgroup memory is short). H100, (64, 256, 512, 512),
 * recurrence GPU time with clocks raised: 2.80 ms (8 to 64 steps alike) against 3.53 ms without.
 */
export const CHUNK_STEPS = 32;

/**
 * P loads each invocation of the resident strategy issues together at the start of a chunk (its
 * steps: this over the rows). A step's barrier waits for the loads in flight, so P fetched a step
 * ahead put one memory latency into every step. H100 (bench/step_floor.ts, 672 steps, 32 units): a
 * step with P loaded per step 0.27 µs, with P loaded 32 steps at a time 0.17 µs.
 */
export const RESIDENT_CHUNK_LOADS = 32;

/**
 * Workgroups of the persistent strategies the batch is spread over before a workgroup takes several
 * rows: each streams all of U every step, so many more multiply U's L2 traffic. H100, (64, 256, 512,
 * 512), recurrence GPU time with clocks raised: 2.80 ms at 64 (one row each), 2.98 at 32, more at 16.
 */
export const PERSISTENT_PARALLEL_ROWS = 64;

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

/**
 * More segments than this and finishing an output (summing the partials) gets long. H100, stepwise
 * (16, 50, 1024, 1024), recurrence GPU time with clocks raised: 0.70 ms at 32, 0.78 ms at 16.
 */
export const MAX_SPLITS = 32;

/**
 * Batch rows per stepwise workgroup: each U word read is reused this many times. H100, (16, 50, 1024,
 * 1024), recurrence GPU time with clocks raised: 0.78 ms at 4 rows, 0.93 at 8, 1.25 at 16.
 */
export const STEPWISE_ROWS = 4;

/**
 * Units per stepwise workgroup, in quads: 8 quads = 32 units, so 1024 units give 32 column blocks.
 * Same measurement: 0.78 ms at 8 quads, 0.84 at 4, 0.83 at 16.
 */
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

/**
 * The input projection's tiled program (wgsl/projection_tiled.ts): a workgroup owns `rows` x `units`
 * outputs of P, each invocation rowsPerInvocation x unitsPerInvocation of them (multiples of 4: they
 * are read from workgroup memory as vec4s), and the inputs pass through workgroup memory `slice` at a
 * time (halved while a slice passes the device's workgroup storage). projection_plan.ts takes the
 * first tile of PROJECTION_TILES (largest first) that gives at least PROJECTION_MIN_WORKGROUPS
 * workgroups and fits the device, else the last that fits: a large tile does more multiply-adds per
 * read of workgroup memory (8 x 8 per invocation: 64 per 4 vec4 reads, 4 x 4: 16 per 2), but a shape
 * with fewer workgroups than multiprocessors leaves most of a large GPU idle (800 x 1024 outputs are 56
 * tiles of 128 x 128 against an H100's 132 multiprocessors, 208 of 64 x 64).
 */
export interface ProjectionTile {
  readonly rows: number;
  readonly units: number;
  readonly rowsPerInvocation: number;
  readonly unitsPerInvocation: number;
  readonly slice: number;
}
export const PROJECTION_TILES: readonly ProjectionTile[] = [
  {rows: 128, units: 128, rowsPerInvocation: 8, unitsPerInvocation: 8, slice: 16},
  {rows: 64, units: 64, rowsPerInvocation: 4, unitsPerInvocation: 4, slice: 16},
  {rows: 32, units: 32, rowsPerInvocation: 4, unitsPerInvocation: 4, slice: 16},
];
export const PROJECTION_MIN_WORKGROUPS = 128;

/**
 * The input projection's small-M program (wgsl/projection_skinny.ts) runs while B·T is at most
 * PROJECTION_SKINNY_MAX_ROWS (0 turns it off). A workgroup of PROJECTION_SKINNY_THREADS invocations
 * owns PROJECTION_SKINNY_UNITS units for up to PROJECTION_SKINNY_ROWS rows (a power of two; fewer when
 * B·T is smaller or the partial sums pass the workgroup storage), each unit's inputs split over
 * THREADS / UNITS invocations that read PROJECTION_SKINNY_UNROLL inputs each per pass, then summed in
 * workgroup memory. One step of a batch of 8 at 512 units is 128 workgroups each reading 4 rows of W
 * once, where 64 x 64 tiles gave 8 workgroups walking 512 inputs 16 at a time, two barriers each.
 */
export const PROJECTION_SKINNY_MAX_ROWS = 32;
export const PROJECTION_SKINNY_ROWS = 8;
export const PROJECTION_SKINNY_UNITS = 4;
export const PROJECTION_SKINNY_THREADS = 256;
export const PROJECTION_SKINNY_UNROLL = 4;
