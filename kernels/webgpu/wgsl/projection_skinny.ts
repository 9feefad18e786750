/**
 * The input projection P = X Wᵀ + b for few rows (one step, or a few batch rows of a short sequence),
 * where a tiled product has too few tiles to occupy a large GPU and walks the inputs in a long chain of
 * slices and barriers.
 *
 * A workgroup owns `units` units for up to `rows` rows. The invocations split into one group per unit;
 * a group's `lanes` invocations split the inputs, lane l taking inputs l, l + lanes, ...: each read of
 * W is one contiguous run of a W row per group (coalesced), and every W element is read once, by one
 * invocation, which uses it for all the rows. X (a few rows) is read by every group and comes from the
 * cache. Each invocation keeps one partial sum per row; the one barrier publishes them in workgroup
 * memory, where one invocation per output adds its unit's lanes and stores the output with the bias.
 *
 * With float16 weights W is rounded on load, as in the tiled program.
 */
import type {SkinnyPlan} from '../projection_plan.js';

export function projectionSkinnyWgsl(
  plan: SkinnyPlan,
  opts: {roundToFloat16: boolean; hasBias: boolean},
): string {
  const weight = (expr: string): string => (opts.roundToFloat16 ? `sgRoundF16(${expr})` : expr);
  const lanes = plan.threads / plan.units;
  // Each unit's lanes padded by one word: consecutive lanes write consecutive words, and the summing
  // invocations (one per unit, reading at a stride of lanes + 1, an odd number) hit distinct banks.
  const stride = lanes + 1;
  const rowsOf = (line: (r: number) => string): string =>
    Array.from({length: plan.rows}, (_, r) => line(r)).join('\n    ');
  const pass = (count: number): string => {
    const lines: string[] = [];
    for (let j = 0; j < count; j++) {
      lines.push(`let w${j} = ${weight(`inputWeights[wRow + k + ${j * lanes}]`)};`);
    }
    for (let j = 0; j < count; j++) {
      for (let r = 0; r < plan.rows; r++) {
        lines.push(`acc${r} = fma(x[xRow${r} + k + ${j * lanes}], w${j}, acc${r});`);
      }
    }
    return lines.join('\n      ');
  };
  return /* wgsl */ `
// Partial sums [row][unit][lane], each unit's lanes followed by one word of padding.
var<workgroup> partial : array<f32, ${plan.rows * plan.units * stride}>;

fn main(index : i32) {
  let rows = uniforms.rows;
  let inputs = uniforms.inputs;
  let units = uniforms.units;
  let lid = i32(localIndex);
  let lane = lid % ${lanes};
  let slot = lid / ${lanes};
  let unit0 = i32(workgroupId.x) * ${plan.units};
  let row0 = i32(workgroupId.y) * ${plan.rows};
  // Units and rows past the end read the last ones (in bounds) and store nothing.
  let wRow = min(unit0 + slot, units - 1) * inputs;
  ${rowsOf((r) => `let xRow${r} = min(row0 + ${r}, rows - 1) * inputs;`)}
  ${rowsOf((r) => `var acc${r} = 0.0;`)}
  var k = lane;
  for (; k + ${(plan.unroll - 1) * lanes} < inputs; k = k + ${plan.unroll * lanes}) {
      ${pass(plan.unroll)}
  }
  for (; k < inputs; k = k + ${lanes}) {
      ${pass(1)}
  }
  ${rowsOf((r) => `partial[${r * plan.units * stride} + slot * ${stride} + lane] = acc${r};`)}
  workgroupBarrier();
  if (lid < ${plan.rows * plan.units}) {
    let r = lid / ${plan.units};
    let s = lid % ${plan.units};
    let row = row0 + r;
    let unit = unit0 + s;
    if (row < rows && unit < units) {
      let base = (r * ${plan.units} + s) * ${stride};
      var sum = 0.0;
      for (var l = 0; l < ${lanes}; l = l + 1) {
        sum = sum + partial[base + l];
      }
      result[row * units + unit] = sum${opts.hasBias ? ' + biasTerms[unit]' : ''};
    }
  }
}
`;
}
