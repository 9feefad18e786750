/**
 * The floor under a latency-bound recurrence step on this GPU, without tfjs: one workgroup of `units`
 * invocations runs `time` steps in one dispatch, and each kernel of the ladder adds one part of what
 * the resident recurrence (kernels/webgpu/wgsl/recurrence/resident.ts) does per step:
 * - barrier: the step loop and its one workgroupBarrier, nothing else;
 * - dot: plus the unit's dot product over h in workgroup memory (U's row in registers, vec4 reads of h,
 *   two fma chains), h written back for the next step;
 * - dot+tanh: plus WGSL's tanh (P held in a register);
 * - dot+P: the dot product plus P read from a storage buffer two steps ahead, no tanh;
 * - dot+tanh+P, dot+tanh+P+store: both, then every step's h stored to the output buffer too (the
 *   full step, less our neuron's edge-case handling);
 * - dot+tanh+chunkP+store: the same with P of 32 steps loaded at once by each invocation into its
 *   own slots of workgroup memory (loads issued together, one memory latency per 32 steps).
 * GPU time from timestamp queries around each dispatch, median of RUNS after clock-raising repeats.
 * What the ladder's top costs per step is what a step of this shape costs on this GPU in WGSL without
 * subgroup operations (tfjs' device does not enable them); the resident kernel cannot go below it.
 *
 * FLOOR_SHAPES='[[time, units], ...]' (default the issue's latency-bound rows), RUNS=n (default 20).
 */
import {installNavigatorGpu} from '../src/node/index.js';
import {median} from './run.js';
import {DAWN_FLAGS} from './webgpu_node.js';

type Kernel =
  'barrier' | 'dot' | 'dot+tanh' | 'dot+P' | 'dot+tanh+P' | 'dot+tanh+P+store' | 'dot+tanh+chunkP+store';
const KERNELS: Kernel[] = [
  'barrier',
  'dot',
  'dot+tanh',
  'dot+P',
  'dot+tanh+P',
  'dot+tanh+P+store',
  'dot+tanh+chunkP+store',
];
/** Dispatches before the timed ones, back to back: enough GPU work to raise the clocks. */
const RAISE = 200;
/** Steps of P each invocation loads at once in the chunked kernel (its own slots of workgroup memory). */
const CHUNK = 32;

function wgsl(kernel: Kernel, time: number, units: number): string {
  const quads = Math.ceil(units / 4);
  const words = Array.from({length: quads}, (_, m) => m);
  const has = (part: string): boolean => kernel.split('+').includes(part);
  const chunked = has('chunkP');
  // P: a register (constant), a global load fetched two steps ahead, or this invocation's slot of a
  // chunk that it loaded itself with CHUNK loads issued together (no barrier needed: its own slots).
  const p = chunked ? `chunk[(s % ${CHUNK}) * ${units} + i]` : 'p';
  const fetch = has('P') ? `p = pNext;\n    pNext = pIn[min(s + 2, ${time - 1}) * ${units} + i];` : '';
  const chunkLoad = chunked
    ? `if (s % ${CHUNK} == 0) {
      ${Array.from({length: CHUNK}, (_, c) => `let c${c} = pIn[min(s + ${c}, ${time - 1}) * ${units} + i];`).join('\n      ')}
      ${Array.from({length: CHUNK}, (_, c) => `chunk[${c * units} + i] = c${c};`).join('\n      ')}
    }`
    : '';
  const neuron = has('tanh')
    ? `h = tanh(h + ${p});`
    : has('P') || chunked
      ? `h = h * 0.5 + ${p};`
      : 'h = h * 0.5;';
  const body = has('dot')
    ? `${chunkLoad}
    var a0 = vec4<f32>(0.0);
    var a1 = vec4<f32>(0.0);
    ${words.map((m) => `a${m % 2} = fma(w${m}, state[cur * ${quads} + ${m}], a${m % 2});`).join('\n    ')}
    var h = dot(a0 + a1, vec4<f32>(1.0));
    ${neuron}
    ${fetch}
    ${has('store') ? `out[s * ${units} + i] = h;` : ''}
    state[(1 - cur) * ${quads} + i / 4][i % 4] = h;`
    : `state[(1 - cur) * ${quads} + i / 4][i % 4] = f32(s);`;
  return `
@group(0) @binding(0) var<storage, read> u : array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> pIn : array<f32>;
@group(0) @binding(2) var<storage, read_write> out : array<f32>;
var<workgroup> state : array<vec4<f32>, ${2 * quads}>;
${chunked ? `var<workgroup> chunk : array<f32, ${CHUNK * units}>;` : ''}
@compute @workgroup_size(${units})
fn main(@builtin(local_invocation_index) li : u32) {
  let i = i32(li);
  ${has('dot') ? words.map((m) => `let w${m} = u[i * ${quads} + ${m}];`).join('\n  ') : ''}
  var p = pIn[i];
  var pNext = pIn[${units} + i];
  state[i / 4][i % 4] = 0.0;
  workgroupBarrier();
  var cur = 0;
  for (var s = 0; s < ${time}; s = s + 1) {
    ${body}
    workgroupBarrier();
    cur = 1 - cur;
  }
  out[${time} * ${units} + i] = state[cur * ${quads} + i / 4][i % 4] + p + pNext;
}`;
}

async function main(): Promise<void> {
  const gpu = await installNavigatorGpu(DAWN_FLAGS);
  const adapter = await gpu.requestAdapter({powerPreference: 'high-performance'});
  if (adapter == null || !adapter.features.has('timestamp-query')) {
    console.log('step floor: skipped, no adapter with timestamp queries');
    return;
  }
  const device = await adapter.requestDevice({
    requiredFeatures: ['timestamp-query'],
    requiredLimits: {
      maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: adapter.limits.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
    },
  });
  const shapes = JSON.parse(process.env.FLOOR_SHAPES ?? '[[1000,128],[672,32],[100,128]]') as [
    number,
    number,
  ][];
  const runs = Number(process.env.RUNS ?? 20);
  const rows: string[] = [];
  for (const [time, units] of shapes) {
    const quads = Math.ceil(units / 4);
    const buffer = (floats: number, usage: number): GPUBuffer => {
      const b = device.createBuffer({size: floats * 4, usage, mappedAtCreation: true});
      new Float32Array(b.getMappedRange()).forEach((_, k, a) => (a[k] = ((k * 7919) % 200) / 1000 - 0.1));
      b.unmap();
      return b;
    };
    const u = buffer(units * quads * 4, GPUBufferUsage.STORAGE);
    const pIn = buffer(time * units, GPUBufferUsage.STORAGE);
    const out = device.createBuffer({size: (time + 1) * units * 4, usage: GPUBufferUsage.STORAGE});
    const query = device.createQuerySet({type: 'timestamp', count: 2});
    const resolve = device.createBuffer({
      size: 16,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    const staging = device.createBuffer({size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST});
    const perStep: Record<string, number> = {};
    // Every binding in the layout, whether a kernel of the ladder reads it or not.
    const bindings = device.createBindGroupLayout({
      entries: (['read-only-storage', 'read-only-storage', 'storage'] as const).map((type, binding) => ({
        binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: {type},
      })),
    });
    const layout = device.createPipelineLayout({bindGroupLayouts: [bindings]});
    for (const kernel of KERNELS) {
      device.pushErrorScope('validation');
      const pipeline = device.createComputePipeline({
        layout,
        compute: {module: device.createShaderModule({code: wgsl(kernel, time, units)}), entryPoint: 'main'},
      });
      const bindGroup = device.createBindGroup({
        layout: bindings,
        entries: [u, pIn, out].map((b, binding) => ({binding, resource: {buffer: b}})),
      });
      // A kernel this device cannot run (e.g. its workgroup memory) is reported, not timed.
      const invalid = await device.popErrorScope();
      if (invalid != null) {
        console.log(`T=${time} H=${units} ${kernel}: not run (${invalid.message.split('\n')[0]})`);
        perStep[kernel] = NaN;
        continue;
      }
      const dispatch = (timed: boolean): void => {
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass(
          timed
            ? {timestampWrites: {querySet: query, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1}}
            : {},
        );
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(1);
        pass.end();
        if (timed) {
          encoder.resolveQuerySet(query, 0, 2, resolve, 0);
          encoder.copyBufferToBuffer(resolve, 0, staging, 0, 16);
        }
        device.queue.submit([encoder.finish()]);
      };
      const samples: number[] = [];
      for (let r = 0; r < runs; r++) {
        for (let k = 0; k < RAISE / (r === 0 ? 1 : 10); k++) dispatch(false);
        dispatch(true);
        await staging.mapAsync(GPUMapMode.READ);
        const [begin, end] = new BigUint64Array(staging.getMappedRange());
        samples.push(Number(end - begin) / 1e6);
        staging.unmap();
      }
      const ms = median(samples);
      perStep[kernel] = (ms * 1000) / time;
      console.log(
        `T=${time} H=${units} ${kernel}: ${ms.toFixed(4)} ms, ${perStep[kernel].toFixed(3)} µs per step`,
      );
    }
    rows.push(`| ${time} | ${units} | ${KERNELS.map((k) => perStep[k].toFixed(3)).join(' | ')} |`);
    console.log(JSON.stringify({T: time, H: units, usPerStep: perStep}));
    [u, pIn, out, resolve, staging].forEach((b) => b.destroy());
    query.destroy();
  }
  console.log(
    `\n| T | H | ${KERNELS.join(' | ')} (µs per step) |\n| --- | --- |${KERNELS.map(() => ' ---: |').join('')}`,
  );
  rows.forEach((r) => console.log(r));
  device.destroy();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
