/**
 * The wasm kernel's tuning numbers, one name per strategy, each with the measurement behind it. The
 * fused SIMD recurrence (fused_recurrence.ts) is the default; the matMul/dot-product recurrence
 * (single_gate_rnn.ts) is the fallback where WebAssembly SIMD does not compile.
 */

/**
 * The tfjs env flag that picks the strategy: true (default) the fused SIMD recurrence where the
 * runtime compiles it, false the fallback, so specs and the benchmark reach both. Registered by
 * single_gate_rnn.ts.
 */
export const WASM_FUSED_FLAG = 'SINGLE_GATE_RNN_WASM_FUSED';

/**
 * Fallback recurrence: from this many multiply-adds per step (batch * units^2) on, U h is one
 * BatchMatMul call per step (XNNPACK's SIMD, and threads where the binary has them) rather than
 * JavaScript dot products: its fixed cost per call (a heap allocation, the kernel's bookkeeping) is
 * then below what it saves. Measured in Node: at batch 1 the two cross near 128 units; at 16 units a
 * call per step is 30x slower, at 256 units the dot products are slower.
 */
export const MATMUL_RECURRENCE_MIN_WORK = 128 * 128;

/**
 * Fused recurrence: the products are cut along k into blocks of this many rows of B (Wᵀ or Uᵀ), so a
 * block of B (FUSED_K_BLOCK x units floats: 1 MiB at 1024 units) stays in the second-level cache
 * while every block of rows of A passes over it.
 */
export const FUSED_K_BLOCK = 256;

/**
 * Fused recurrence: the projection's rows (batch * time) are cut into blocks of this many, so a block
 * of A (FUSED_M_BLOCK x FUSED_K_BLOCK floats, 256 KiB) stays cached across the columns.
 */
export const FUSED_M_BLOCK = 256;

/**
 * Threads (setWasmThreads, threaded_recurrence.ts): the projection's rows are split across the
 * threads from this many multiply-adds (rows * inputs * padded units) on, about 15 ms of one thread's
 * work, so the one barrier and a worker's wake-up are a small part of it. Measured in Node, 2 threads
 * against 1 (`npm run bench:wasm-threads`, bench/results/node-wasm-threads-crossover.md), only on a
 * 2-core machine shared with other work (load average 2.6 to 2.8): the split lost at every size tried
 * (1.2x slower at 33M), the main thread waiting for a worker the scheduler had not run. To be measured
 * again on idle cores; until then only projections far past those are split (issue 20's
 * 32,100,256,256 and 16,50,1024,1024 are 210M and 839M).
 */
export const WASM_THREADS_MIN_PROJECTION_WORK = 1 << 27;

/**
 * Threads: each step's U h is split across the threads by column panels, with a barrier per step,
 * from this many multiply-adds per step (batch * units * padded units) on: about 0.25 ms of one
 * thread's work a step, fifty times a futex wake-up on idle cores. Same measurement: on the shared
 * machine a step on 2 threads cost about 0.4 ms more whenever the two threads were not running at
 * once (1,200,4,128: 0.71 ms in one run, 83 ms in the next), so every size lost there (3.2 to 3.6x at
 * 2M); a split by steps needs the cores it asks for. To be measured again on idle cores.
 */
export const WASM_THREADS_MIN_STEP_WORK = 1 << 21;

/**
 * Threads: how long a thread waits at one barrier before the call fails (and the pool is stopped),
 * when another thread never arrives (a terminated or crashed worker). Far above any step: at 16 x
 * 1024 x 1024 a step takes about 3 ms on one thread.
 */
export const WASM_THREADS_STALL_MS = 10_000;

/**
 * The tfjs env flag that picks how calls use threads once setWasmThreads started them: 'auto'
 * (default) by the crossovers above, 'always' regardless of them (specs reach the threaded path at
 * small shapes; U is still split only where it has more than one panel), 'off' on one thread (the
 * benchmark's one-thread side with the same workers started).
 */
export const WASM_THREADS_FLAG = 'SINGLE_GATE_RNN_WASM_THREADS';
