/**
 * One product C = g(A B + D) of the fused recurrence, cut into blocks along m and k (tuning.ts'
 * FUSED_M_BLOCK and FUSED_K_BLOCK, passed in), each block one call of the module's gemm. Every k
 * block but the first adds to C and only the last applies the neuron, so each output's sum runs over
 * k in the same order whichever rows or column panels a call covers: a thread doing part of the rows
 * or panels (thread_share.ts) gets the bits one thread gets.
 *
 * Self-contained (no reference to anything outside its parameters): the worker threads' source is
 * this function's text (thread_worker.ts).
 */

/** C = g(A B + D) on the module's memory; see scripts/wasm/recurrence_wat.js for the arguments. */
export type Gemm = (
  a: number,
  aStride: number,
  b: number,
  depth: number,
  k0: number,
  c: number,
  cStride: number,
  d: number,
  dStride: number,
  m: number,
  k: number,
  n: number,
  neuronCode: number,
  neuronA: number,
  neuronB: number,
) => void;

/**
 * Where C = A B + D lie, in floats of the module's memory: A's rows from `a`, B as the module lays it
 * out from `b` (`k` rows deep), D's and C's rows from `d` and `c`; a stride is the floats from one row
 * to the next (D's may be 0: one row for all). A [m, k], B [k, n], C and D [m, n]; `code`, `na`, `nb`
 * the neuron (0: none).
 */
export interface GemmCall {
  a: number;
  aStride: number;
  b: number;
  c: number;
  cStride: number;
  d: number;
  dStride: number;
  m: number;
  k: number;
  n: number;
  code: number;
  na: number;
  nb: number;
}

export function blockedGemm(gemm: Gemm, call: GemmCall, mBlock: number, kBlock: number): void {
  const {a, aStride, b, c, cStride, d, dStride, m, k, n, code, na, nb} = call;
  for (let i = 0; i < m; i += mBlock) {
    const rows = Math.min(mBlock, m - i);
    const aRows = a + i * aStride;
    const cRows = c + i * cStride;
    let dRows = d + i * dStride;
    let dRowStride = dStride;
    let k0 = 0;
    do {
      const depth = Math.min(kBlock, k - k0);
      const last = k0 + depth >= k;
      gemm(
        4 * (aRows + k0),
        4 * aStride,
        4 * b,
        k,
        k0,
        4 * cRows,
        4 * cStride,
        4 * dRows,
        4 * dRowStride,
        rows,
        depth,
        n,
        last ? code : 0,
        na,
        nb,
      );
      dRows = cRows;
      dRowStride = cStride;
      k0 += depth;
    } while (k0 < k);
  }
}
