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
 * threads from this many multiply-adds (rows * inputs * padded units) on. PROVISIONAL until measured.
 */
export const WASM_THREADS_MIN_PROJECTION_WORK = 1 << 20;

/**
 * Threads: each step's U h is split across the threads by column panels, with a barrier per step,
 * from this many multiply-adds per step (batch * units * padded units) on. PROVISIONAL until measured.
 */
export const WASM_THREADS_MIN_STEP_WORK = 1 << 16;

/**
 * The tfjs env flag that picks how calls use threads once setWasmThreads started them: 'auto'
 * (default) by the crossovers above, 'always' regardless of them (specs reach the threaded path at
 * small shapes; U is still split only where it has more than one panel), 'off' on one thread (the
 * benchmark's one-thread side with the same workers started).
 */
export const WASM_THREADS_FLAG = 'SINGLE_GATE_RNN_WASM_THREADS';
