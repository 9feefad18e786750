/**
 * The tunable numbers of the WebGL kernel and the choices they make, in one place so a benchmark on a
 * new device can change them without hunting through the code.
 */

/**
 * Calls whose step does at least this many products (batch * units², units a multiple of 4) run on
 * flat4 textures (glsl/flat4.ts): a quarter of the texel reads in the steps and joins, for up to
 * three more small programs per call (U into flat4 where it is not rounded anyway, the initial state
 * and the mask into flat4, the final state out of it). Below it the reads cost less than those
 * programs. Measured in headless Chromium (WebGL 2 on SwiftShader), median of 25 calls at
 * (batch, time, inputs, units): (4, 16, 32, 64) 19.1 ms -> 14.9 ms; at batch 1 with 8 to 32 units
 * flat4 was no faster (7.8 -> 8.9 ms at (1, 20, 16, 32), 13.3 -> 13.7 ms at (1, 64, 8, 16)).
 */
export const FLAT4_MIN_PRODUCTS = 4096;

/** Whether a call of this shape runs on flat4 textures (see FLAT4_MIN_PRODUCTS). */
export function usesFlat4(batch: number, units: number): boolean {
  return units % 4 === 0 && batch * units * units >= FLAT4_MIN_PRODUCTS;
}
