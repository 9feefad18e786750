/** W and U laid out in heap scratch: rounded to float16 as the cpu kernel rounds them, transposed. */
import {roundToFloat16} from '../cpu/float16.js';
import {PANEL_COLUMNS} from './recurrence_binary.js';

/**
 * Nearest float16 (ties to even) of a float32 value: `Math.f16round` where the runtime has it (recent
 * browsers, Node 24), else the cpu kernel's own rounding. Both round the exact value, so they agree.
 */
export const toFloat16: (value: number) => number =
  (Math as unknown as {f16round?: (value: number) => number}).f16round ?? roundToFloat16;

/** Writes `count` heap floats from index `from`, each rounded to float16, from index `to` on. */
export function roundToFloat16OnHeap(f32: Float32Array, from: number, to: number, count: number): void {
  for (let k = 0; k < count; k++) f32[to + k] = toFloat16(f32[from + k]);
}

/**
 * Writes the [rows, cols] heap matrix at `from` transposed, [cols, rows], from index `to` on, each
 * value rounded to float16 if asked.
 */
export function transposeOnHeap(
  f32: Float32Array,
  from: number,
  to: number,
  rows: number,
  cols: number,
  float16: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const value = f32[from + r * cols + c];
      f32[to + c * rows + r] = float16 ? toFloat16(value) : value;
    }
  }
}

/**
 * Weights laid out for the fused module, kept per weights tensor (its dataId: tfjs never changes the
 * values behind one, and a variable's assign takes a new one) and per float16 choice, so a model
 * called again copies them in instead of transposing them again (onnxruntime-web keeps laid-out
 * constant weights with its kernels the same way). Outside the module's memory: the entry goes when
 * the tensor's dataId is collected.
 */
const laidOutCache = new WeakMap<object, Map<string, Float32Array>>();

/**
 * The [rows, cols] heap matrix at index `from` (dataId `key`) transposed, as B [cols, paddedRows] of the
 * module's products: its columns (our rows) padded with zeros to `paddedRows` and laid in panels of
 * PANEL_COLUMNS columns, each [cols][panel width] (the last panel narrower); each value rounded to
 * float16 if asked. Cached per key.
 */
export function laidOutWeights(
  key: object,
  heap: Float32Array,
  from: number,
  rows: number,
  cols: number,
  paddedRows: number,
  float16: boolean,
): Float32Array {
  const variant = `${rows}x${cols}:${paddedRows}:${float16}`;
  const cached = laidOutCache.get(key)?.get(variant);
  if (cached) return cached;
  const out = new Float32Array(cols * paddedRows);
  for (let r = 0; r < rows; r++) {
    const panel = Math.floor(r / PANEL_COLUMNS);
    const start = panel * PANEL_COLUMNS;
    const width = Math.min(PANEL_COLUMNS, paddedRows - start);
    const base = start * cols + (r - start);
    for (let c = 0; c < cols; c++) {
      const value = heap[from + r * cols + c];
      out[base + c * width] = float16 ? toFloat16(value) : value;
    }
  }
  const variants = laidOutCache.get(key) ?? new Map<string, Float32Array>();
  variants.set(variant, out);
  laidOutCache.set(key, variants);
  return out;
}
