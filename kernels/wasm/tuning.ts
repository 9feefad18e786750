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
 * threads from this many multiply-adds (rows * inputs * padded units) on. Measured in Node on 2 threads
 * against 1 (`npm run bench:wasm-threads`, bench/results/node-wasm-threads-crossover.txt) on a 2-core
 * machine shared with other work (load average 5 to 6): the split lost at every projection-heavy
 * shape up to 33M (1.3 to 2.9x slower), the main thread waiting for a worker the scheduler had not
 * run. So only projections far past that are split (issue 20's 32,100,256,256 and 16,50,1024,1024 are
 * 210M and 839M); to be measured again on an idle machine.
 */
export const WASM_THREADS_MIN_PROJECTION_WORK = 1 << 27;

/**
 * Threads: each step's U h is split across the threads by column panels, with a barrier per step,
 * from this many multiply-adds per step (batch * units * padded units) on. Same measurement: at 65536
 * and below 2 threads lost in every run (1.3 to 80x, a barrier per step costing a scheduler round
 * trip); from 262144 (1 x 512 x 512) they won in most runs (0.65 to 0.95) and lost in some.
 */
export const WASM_THREADS_MIN_STEP_WORK = 1 << 18;

/**
 * The tfjs env flag that picks how calls use threads once setWasmThreads started them: 'auto'
 * (default) by the crossovers above, 'always' regardless of them (specs reach the threaded path at
 * small shapes; U is still split only where it has more than one panel), 'off' on one thread (the
 * benchmark's one-thread side with the same workers started).
 */
export const WASM_THREADS_FLAG = 'SINGLE_GATE_RNN_WASM_THREADS';
