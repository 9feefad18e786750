/** W and U rounded to float16 into heap scratch, as the cpu kernel rounds them. */
import {roundToFloat16} from '../cpu/float16.js';

/**
 * Nearest float16 (ties to even) of a float32 value: `Math.f16round` where the runtime has it (recent
 * browsers, Node 24), else the cpu kernel's own rounding. Both round the exact value, so they agree.
 */
const toFloat16: (value: number) => number =
  (Math as unknown as {f16round?: (value: number) => number}).f16round ?? roundToFloat16;

/** Writes `count` heap floats from index `from`, each rounded to float16, from index `to` on. */
export function roundToFloat16OnHeap(f32: Float32Array, from: number, to: number, count: number): void {
  for (let k = 0; k < count; k++) f32[to + k] = toFloat16(f32[from + k]);
}
