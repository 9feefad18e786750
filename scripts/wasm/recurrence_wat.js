/**
 * The WebAssembly text of the wasm backend's fused recurrence (kernels/wasm/fused_recurrence.ts runs
 * it). One export does the arithmetic of both halves of a call: `gemm`, C = g(A B + D), with
 *   A [m, k] (row stride in bytes),
 *   B [depth, n] in panels of PANEL_COLUMNS columns (n a multiple of 4), read from row k0 for k rows,
 *   D [m, n] added before the neuron (its row stride may be 0: one row, e.g. the bias, for every row),
 *   g the neuron picked by code (NEURON_CODES, applied on four lanes at once; 0 leaves the sum as is).
 * The projection x Wᵀ + b of all steps is one call (A = x, B = Wᵀ, D = the bias with stride 0); each
 * step is one call (A = the previous states, B = Uᵀ, D = that step's projection rows, C = that step's
 * output rows). The caller blocks operands along k (k0, k): D = C and g = 0 on every block but the
 * last.
 *
 * Register blocking: a micro-kernel owns R rows and V vectors of four columns, R * V f32x4 sums in
 * locals; per k it loads V vectors of B's panel row once and one value of each of A's R rows (splat),
 * so each B load feeds R multiply-adds. Row blocks are the outer loop, column blocks the inner one.
 * Batch 1 takes 1 x 8 vectors (eight independent sums hide the add latency), larger batches 4 x 2.
 *
 * The text is generated so each micro-kernel is written once, unrolled for its R and V.
 */

/** The neuron codes the kernel applies itself; kernels/wasm/neuron_codes.ts maps neuron types to them. */
/**
 * B (Wᵀ or Uᵀ, [depth, n]) lies in panels of this many columns, each [depth][width] (the last one
 * narrower where n is not a multiple): a micro-kernel walks its panel with a stride of one panel row
 * (128 bytes) instead of one matrix row (4 n bytes, a new page every step at 1024 units), and the
 * 1 x 8-vector kernel reads 128 contiguous bytes per k. kernels/wasm/weights.ts lays weights out so.
 */
export const PANEL_COLUMNS = 32;

export const NEURON_CODES = {
  none: 0,
  tanh: 1,
  sigmoid: 2,
  relu: 3,
  linear: 4,
  hardSigmoid: 5,
  absolute: 6,
  softsign: 7,
  reluN: 8,
};

/**
 * Micro-kernel shapes: rows per block (widest first; the last must be 1) and, per row count, the
 * vectors of four columns per block (widest first; the last must be 1).
 */
export const DEFAULT_BLOCKS = {rows: [4, 1], vectors: {4: [2, 1], 1: [8, 2, 1]}};

const f32x4 = (value) => `(v128.const f32x4 ${value} ${value} ${value} ${value})`;

/** The body of one micro-kernel function $micro_R_V. */
function microKernel(rows, vectors, fma) {
  const lines = [];
  const sum = (r, v) => `$s${r}_${v}`;
  lines.push(`(func $micro_${rows}_${vectors}`);
  lines.push(
    '  (param $a i32) (param $as i32) (param $b i32) (param $bs i32) (param $c i32) (param $cs i32)',
  );
  lines.push(
    '  (param $d i32) (param $ds i32) (param $k i32) (param $code i32) (param $na f32) (param $nb f32)',
  );
  for (let r = 0; r < rows; r++) for (let v = 0; v < vectors; v++) lines.push(`  (local ${sum(r, v)} v128)`);
  for (let v = 0; v < vectors; v++) lines.push(`  (local $b${v} v128)`);
  for (let r = 0; r < rows; r++) lines.push(`  (local $a${r} i32)`);
  lines.push('  (local $x v128) (local $end i32)');
  for (let r = 0; r < rows; r++) {
    lines.push(`  (local.set $a${r} (i32.add (local.get $a) (i32.mul (local.get $as) (i32.const ${r}))))`);
  }
  lines.push('  (local.set $end (i32.add (local.get $a) (i32.shl (local.get $k) (i32.const 2))))');
  lines.push('  (if (i32.gt_s (local.get $k) (i32.const 0)) (then (loop $over_k');
  for (let v = 0; v < vectors; v++) {
    lines.push(`    (local.set $b${v} (v128.load offset=${16 * v} (local.get $b)))`);
  }
  for (let r = 0; r < rows; r++) {
    lines.push(`    (local.set $x (v128.load32_splat (local.get $a${r})))`);
    for (let v = 0; v < vectors; v++) {
      const product = `(local.get $x) (local.get $b${v})`;
      lines.push(
        fma
          ? `    (local.set ${sum(r, v)} (f32x4.relaxed_madd ${product} (local.get ${sum(r, v)})))`
          : `    (local.set ${sum(r, v)} (f32x4.add (local.get ${sum(r, v)}) (f32x4.mul ${product})))`,
      );
    }
    lines.push(`    (local.set $a${r} (i32.add (local.get $a${r}) (i32.const 4)))`);
  }
  lines.push('    (local.set $b (i32.add (local.get $b) (local.get $bs)))');
  lines.push('    (br_if $over_k (i32.lt_u (local.get $a0) (local.get $end))))))');
  for (let r = 0; r < rows; r++) {
    const rowOf = (base, stride) =>
      `(i32.add (local.get ${base}) (i32.mul (local.get ${stride}) (i32.const ${r})))`;
    for (let v = 0; v < vectors; v++) {
      lines.push(
        `  (v128.store offset=${16 * v} ${rowOf('$c', '$cs')} (call $neuron (f32x4.add (local.get ${sum(r, v)})` +
          ` (v128.load offset=${16 * v} ${rowOf('$d', '$ds')})) (local.get $code) (local.get $na) (local.get $nb)))`,
      );
    }
  }
  lines.push(')');
  return lines.join('\n');
}

/**
 * $rows_R: all column blocks of R rows, widest micro-kernel first. Columns advance by 16V bytes in B,
 * C and D alike.
 */
function rowBlock(rows, vectorBlocks) {
  const lines = [`(func $rows_${rows}`];
  lines.push(
    '  (param $a i32) (param $as i32) (param $b i32) (param $depth i32) (param $k0 i32) (param $c i32) (param $cs i32)',
  );
  lines.push(
    '  (param $d i32) (param $ds i32) (param $k i32) (param $n i32) (param $code i32) (param $na f32) (param $nb f32)',
  );
  lines.push('  (local $j i32) (local $panel i32) (local $width i32)');
  for (const vectors of vectorBlocks) {
    const width = 4 * vectors;
    lines.push(`  (block $done_${vectors} (loop $next_${vectors}`);
    lines.push(
      `    (br_if $done_${vectors} (i32.gt_s (i32.add (local.get $j) (i32.const ${width})) (local.get $n)))`,
      // The panel holding column j, and its width (the last one may be narrower).
      `    (local.set $panel (i32.div_u (local.get $j) (i32.const ${PANEL_COLUMNS})))`,
      `    (local.set $width (i32.sub (local.get $n) (i32.mul (local.get $panel) (i32.const ${PANEL_COLUMNS}))))`,
      `    (if (i32.gt_s (local.get $width) (i32.const ${PANEL_COLUMNS})) (then (local.set $width (i32.const ${PANEL_COLUMNS}))))`,
    );
    lines.push(`    (call $micro_${rows}_${vectors} (local.get $a) (local.get $as)`);
    lines.push(
      `      (i32.add (i32.add (local.get $b) (i32.mul (i32.mul (local.get $panel) (local.get $depth)) (i32.const ${4 * PANEL_COLUMNS})))`,
      '        (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $width))',
      `          (i32.rem_u (local.get $j) (i32.const ${PANEL_COLUMNS}))) (i32.const 2)))`,
      '      (i32.shl (local.get $width) (i32.const 2))',
    );
    lines.push('      (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))) (local.get $cs)');
    lines.push('      (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2))) (local.get $ds)');
    lines.push('      (local.get $k) (local.get $code) (local.get $na) (local.get $nb))');
    lines.push(`    (local.set $j (i32.add (local.get $j) (i32.const ${width})))`);
    lines.push(`    (br $next_${vectors})))`);
  }
  lines.push(')');
  return lines.join('\n');
}

/** exp on four lanes: 2^n e^r with |r| <= ln2 / 2, e^r by its Taylor polynomial to r^6 (error ~1e-7). */
const EXP = `
(func $exp (param $y v128) (result v128)
  (local $n v128) (local $r v128) (local $p v128)
  (local.set $y (f32x4.min (f32x4.max (local.get $y) ${f32x4(-87)}) ${f32x4(88)}))
  (local.set $n (f32x4.nearest (f32x4.mul (local.get $y) ${f32x4(1.4426950408889634)})))
  ;; ln 2 in two parts: n * LN2_HI is exact in float32, so r keeps its low bits.
  (local.set $r (f32x4.sub (f32x4.sub (local.get $y) (f32x4.mul (local.get $n) ${f32x4(0.693145751953125)}))
    (f32x4.mul (local.get $n) ${f32x4(1.428606765330187e-6)})))
  (local.set $p ${f32x4(1 / 720)})
  ${[1 / 120, 1 / 24, 1 / 6, 0.5, 1, 1]
    .map((c) => `(local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) ${f32x4(c)}))`)
    .join('\n  ')}
  (f32x4.mul (local.get $p)
    (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))`;

/**
 * tanh(x) = sign(x) (1 - 2 / (e^{2|x|} + 1)), |x| clamped to 9 (where tanh is 1 in float32). Near 0 the
 * difference loses relative precision but stays within 1e-7 absolute.
 */
const TANH = `
(func $tanh (param $x v128) (result v128)
  (local $e v128)
  (local.set $e (call $exp (f32x4.mul (f32x4.min (f32x4.abs (local.get $x)) ${f32x4(9)}) ${f32x4(2)})))
  (v128.or (v128.and (local.get $x) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))
    (f32x4.sub ${f32x4(1)} (f32x4.div ${f32x4(2)} (f32x4.add (local.get $e) ${f32x4(1)})))))`;

/** The neurons by code, as the reference document defines them (a, b the descriptor's neuronA, neuronB). */
const NEURON = `
(func $neuron (param $x v128) (param $code i32) (param $na f32) (param $nb f32) (result v128)
  (local $a v128) (local $b v128)
  (local.set $a (f32x4.splat (local.get $na)))
  (local.set $b (f32x4.splat (local.get $nb)))
  (block $reluN (block $softsign (block $absolute (block $hardSigmoid (block $linear (block $relu
  (block $sigmoid (block $tanh (block $none
    (br_table $none $tanh $sigmoid $relu $linear $hardSigmoid $absolute $softsign $reluN $none (local.get $code)))
    (return (local.get $x)))
    (return (f32x4.mul (local.get $a) (call $tanh (f32x4.mul (local.get $b) (local.get $x))))))
    (return (f32x4.div ${f32x4(1)} (f32x4.add ${f32x4(1)} (call $exp (f32x4.neg (local.get $x)))))))
    (return (v128.bitselect (local.get $x) (f32x4.mul (local.get $a) (local.get $x)) (f32x4.ge (local.get $x) ${f32x4(0)}))))
    (return (f32x4.add (f32x4.mul (local.get $a) (local.get $x)) (local.get $b))))
    (return (f32x4.min (f32x4.max (f32x4.add (f32x4.mul (local.get $a) (local.get $x)) (local.get $b)) ${f32x4(0)}) ${f32x4(1)})))
    (return (f32x4.abs (local.get $x))))
    (return (f32x4.div (local.get $x) (f32x4.add ${f32x4(1)} (f32x4.abs (local.get $x))))))
  (f32x4.min (v128.bitselect (local.get $x) (f32x4.mul (local.get $a) (local.get $x)) (f32x4.ge (local.get $x) ${f32x4(0)}))
    (local.get $b)))`;

/** The exported entry: rows in blocks of the widest row count first. Strides and addresses in bytes. */
function gemm(rowBlocks) {
  const lines = [
    '(func (export "gemm")',
    '  (param $a i32) (param $as i32) (param $b i32) (param $depth i32) (param $k0 i32) (param $c i32) (param $cs i32)',
    '  (param $d i32) (param $ds i32) (param $m i32) (param $k i32) (param $n i32) (param $code i32) (param $na f32) (param $nb f32)',
    '  (local $i i32)',
  ];
  for (const rows of rowBlocks) {
    const advance = (pointer, stride) =>
      `    (local.set ${pointer} (i32.add (local.get ${pointer}) (i32.mul (local.get ${stride}) (i32.const ${rows}))))`;
    lines.push(
      `  (block $done_${rows} (loop $next_${rows}`,
      `    (br_if $done_${rows} (i32.gt_s (i32.add (local.get $i) (i32.const ${rows})) (local.get $m)))`,
      `    (call $rows_${rows} (local.get $a) (local.get $as) (local.get $b) (local.get $depth) (local.get $k0) (local.get $c) (local.get $cs)`,
      '      (local.get $d) (local.get $ds) (local.get $k) (local.get $n) (local.get $code) (local.get $na) (local.get $nb))',
      advance('$a', '$as'),
      advance('$c', '$cs'),
      advance('$d', '$ds'),
      `    (local.set $i (i32.add (local.get $i) (i32.const ${rows})))`,
      `    (br $next_${rows})))`,
    );
  }
  lines.push(')');
  return lines.join('\n');
}

/**
 * The whole module's text. Its memory is imported: the caller sizes it and grows it. With `fma`, the
 * micro-kernels multiply-add with relaxed SIMD's f32x4.relaxed_madd (one fused instruction where the
 * CPU has FMA, half the arithmetic instructions; rounded once or twice, the runtime's choice), for
 * runtimes that have relaxed SIMD. With `shared`, the imported memory is a shared one (the same code:
 * each thread calls gemm on its own rows or columns of the one memory).
 */
export function recurrenceWat({blocks = DEFAULT_BLOCKS, fma = false, shared = false} = {}) {
  const micro = blocks.rows.flatMap((rows) =>
    blocks.vectors[rows].map((vectors) => microKernel(rows, vectors, fma)),
  );
  return [
    '(module',
    // Threads share one memory (kernels/wasm/threads.ts): a shared memory must declare its maximum;
    // 65536 pages, wasm32's 4 GiB, as the unshared one may grow to.
    shared ? '(import "env" "memory" (memory 1 65536 shared))' : '(import "env" "memory" (memory 1))',
    EXP,
    TANH,
    NEURON,
    ...micro,
    ...blocks.rows.map((rows) => rowBlock(rows, blocks.vectors[rows])),
    gemm(blocks.rows),
    ')',
  ].join('\n');
}
