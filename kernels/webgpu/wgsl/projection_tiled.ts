/**
 * The input projection for every step at once: P = X Wᵀ + b, with X the [batch * time, inputs] rows of
 * x and W [units, inputs]. The recurrence later adds U h to P in place, so P is written straight into
 * the op's output buffer.
 *
 * Tiled matrix product (the tile is the plan's, projection_plan.ts). A workgroup owns `rows` x `units`
 * outputs of P; invocation (tx, ty) owns rowsPerInvocation x unitsPerInvocation of them, as groups of
 * 4 consecutive rows (units) strided by 4 · (invocations along that direction): in workgroup memory
 * each group is one vec4, so an inner step reads a vec4 per group and does 4 x 4 multiply-adds per pair
 * of groups, and neighbouring invocations read neighbouring vec4s (no bank conflicts). The reduction
 * dimension advances `slice` inputs at a time. The next slice's X and W are fetched from memory into
 * registers before the current slice is multiplied, so their latency hides behind the arithmetic. The
 * first barrier of a slice publishes the stored slice, the second keeps it until every invocation has
 * used it, before the next one overwrites it. Out-of-range rows, units and inputs read as zero.
 *
 * With float16 weights W is rounded here, on load (the same rounding as the recurrent weights get),
 * so no rounded copy of W is ever stored.
 */
import {tileInvocations, type TiledPlan} from '../projection_plan.js';

const LANES = ['x', 'y', 'z', 'w'];

export function projectionTiledWgsl(
  plan: TiledPlan,
  opts: {roundToFloat16: boolean; hasBias: boolean},
): string {
  const [wx, wy] = tileInvocations(plan);
  const threads = wx * wy;
  const groupsM = plan.rowsPerInvocation / 4;
  const groupsN = plan.unitsPerInvocation / 4;
  // vec4s per input of a slice in workgroup memory, one of them padding (projection_plan.ts).
  const strideX = plan.rows / 4 + 1;
  const strideW = plan.units / 4 + 1;
  const operand = (name: 'X' | 'W', quads: number, stride: number) => {
    const total = plan.slice * quads;
    const count = Math.ceil(total / threads);
    const guard = (i: number, s: string): string =>
      (i + 1) * threads > total ? `if (lid + ${i * threads} < ${total}) { ${s} }` : s;
    const each = (line: (i: number) => string): string =>
      Array.from({length: count}, (_, i) => guard(i, line(i))).join('\n    ');
    const v = name.toLowerCase();
    return {
      declare: Array.from({length: count}, (_, i) => {
        const e = `lid + ${i * threads}`;
        return `let ${v}k${i} = (${e}) % ${plan.slice};\n  let ${v}q${i} = 4 * ((${e}) / ${plan.slice});\n  var ${v}r${i} = vec4<f32>();`;
      }).join('\n  '),
      fetch: (k0: string): string =>
        each(
          (i) =>
            `${v}r${i} = vec4<f32>(${[0, 1, 2, 3]
              .map((c) => `sgProj${name}(${v}0 + ${v}q${i} + ${c}, ${k0} + ${v}k${i})`)
              .join(', ')});`,
        ),
      store: each((i) => `${v}Slice[${v}k${i} * ${stride} + ${v}q${i} / 4] = ${v}r${i};`),
    };
  };
  const xs = operand('X', plan.rows / 4, strideX);
  const ws = operand('W', plan.units / 4, strideW);
  const acc = (g: number, c: number, h: number): string => `acc${g}_${c}_${h}`;
  const all = (f: (g: number, c: number, h: number) => string): string[] =>
    Array.from({length: groupsM}, (_, g) =>
      [0, 1, 2, 3].flatMap((c) => Array.from({length: groupsN}, (_, h) => f(g, c, h))),
    ).flat();
  const step = (kk: number): string =>
    [
      ...Array.from({length: groupsM}, (_, g) => `a${g} = xSlice[${kk * strideX} + ty + ${g * wy}];`),
      ...Array.from({length: groupsN}, (_, h) => `b${h} = wSlice[${kk * strideW} + tx + ${h * wx}];`),
      ...all((g, c, h) => `${acc(g, c, h)} = fma(vec4<f32>(a${g}.${LANES[c]}), b${h}, ${acc(g, c, h)});`),
    ].join('\n      ');
  const stores = Array.from({length: groupsM}, (_, g) =>
    [0, 1, 2, 3].map((c) => {
      const units = Array.from({length: groupsN}, (_, h) =>
        [0, 1, 2, 3].map((d) => {
          const unit = `unit0 + ${4 * h * wx + d} + 4 * tx`;
          const bias = opts.hasBias ? ` + biasTerms[${unit}]` : '';
          return `if (${unit} < units) { result[at + ${4 * h * wx + d}] = ${acc(g, c, h)}.${LANES[d]}${bias}; }`;
        }),
      ).flat();
      return `if (row0 + ${4 * g * wy + c} + 4 * ty < rows) {
    let at = (row0 + ${4 * g * wy + c} + 4 * ty) * units + unit0 + 4 * tx;
    ${units.join('\n    ')}
  }`;
    }),
  )
    .flat()
    .join('\n  ');
  const weight = opts.roundToFloat16
    ? 'sgRoundF16(inputWeights[unit * uniforms.inputs + k])'
    : 'inputWeights[unit * uniforms.inputs + k]';
  return /* wgsl */ `
// [input][4 rows] and [input][4 units] of the current slice, each input's run padded by one vec4.
var<workgroup> xSlice : array<vec4<f32>, ${plan.slice * strideX}>;
var<workgroup> wSlice : array<vec4<f32>, ${plan.slice * strideW}>;

fn sgProjX(row : i32, k : i32) -> f32 {
  if (row < uniforms.rows && k < uniforms.inputs) {
    return x[row * uniforms.inputs + k];
  }
  return 0.0;
}

fn sgProjW(unit : i32, k : i32) -> f32 {
  if (unit < uniforms.units && k < uniforms.inputs) {
    return ${weight};
  }
  return 0.0;
}

fn main(index : i32) {
  let rows = uniforms.rows;
  let inputs = uniforms.inputs;
  let units = uniforms.units;
  let tx = i32(localId.x);
  let ty = i32(localId.y);
  let lid = i32(localIndex);
  let unit0 = i32(workgroupId.x) * ${plan.units};
  // Row blocks fold into z past one dispatch dimension (projection_plan.ts).
  let row0 = i32(workgroupId.y + workgroupId.z * numWorkgroups.y) * ${plan.rows};
  let x0 = row0;
  let w0 = unit0;
  // Invocation lid fetches, per slice, input k of 4 consecutive rows (units) from q on.
  ${xs.declare}
  ${ws.declare}
  ${all((g, c, h) => `var ${acc(g, c, h)} = vec4<f32>();`).join('\n  ')}
  ${Array.from({length: groupsM}, (_, g) => `var a${g} : vec4<f32>;`).join('\n  ')}
  ${Array.from({length: groupsN}, (_, h) => `var b${h} : vec4<f32>;`).join('\n  ')}
  ${xs.fetch('0')}
  ${ws.fetch('0')}
  for (var k0 = 0; k0 < inputs; k0 = k0 + ${plan.slice}) {
    ${xs.store}
    ${ws.store}
    workgroupBarrier();
    ${xs.fetch(`k0 + ${plan.slice}`)}
    ${ws.fetch(`k0 + ${plan.slice}`)}
    {
      ${Array.from({length: plan.slice}, (_, kk) => step(kk)).join('\n      ')}
    }
    workgroupBarrier();
  }
  ${stores}
}
`;
}
