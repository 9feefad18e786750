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
 * threads from this many multiply-adds (rows * inputs * padded units) on. Measured in Node on an idle
 * 16-core Xeon (`npm run bench:wasm-threads`, bench/results/wasm-threads-crossover-xeon16-2t.log and
 * -4t.log), 2 and 4 threads against 1: at 4.1M the split gained nothing (0.97x, 1.00x), at 32.8M it
 * took 0.75x and 0.78x the time; at 1.2M and below it lost (1.02x to 1.27x). On a 2-core machine busy
 * with other work it lost at every size (the main thread waits for a worker the scheduler has not run).
 */
export const WASM_THREADS_MIN_PROJECTION_WORK = 1 << 24;

/**
 * Threads: each step's U h is split across the threads by column panels, with a barrier per step,
 * from this many multiply-adds per step (batch * units * padded units) on. Same machine: at 65536 and
 * above 2 and 4 threads took 0.45x to 0.70x one thread's time at every shape tried; at 16384 it was
 * mixed (1,200,4,128: 0.78x and 0.74x; 1,1000,128,128: 0.91x and 0.73x; 1,100,64,128: 1.08x and
 * 1.10x, bench/results/node-ort-wasm-threads{2,4}-xeon16.json); at 4096 (1,200,4,64) they lost, 1.63x
 * and 1.23x, a barrier costing more than the step's work.
 */
export const WASM_THREADS_MIN_STEP_WORK = 1 << 15;

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
