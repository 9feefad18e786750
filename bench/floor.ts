/**
 * The floor under any op's call-to-data figure, measured without tfjs: a minimal WebGPU program (one
 * dispatch that writes a buffer of the output's size, a copy into a mappable buffer, one submit, map,
 * copy out) on a device of its own. What the benchmark's end-to-end figures show above
 * GPU time + this floor is host cost: ours, or tfjs'.
 *
 * Also measures the resolution of the adapter's timestamps (Dawn quantizes them unless told not to),
 * so the report can say how fine the GPU times are.
 */

const WORKGROUP = 256;
const FILL_WGSL = `
@group(0) @binding(0) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let i = id.x + id.y * groups.x * ${WORKGROUP}u;
  if (i < arrayLength(&out)) { out[i] = f32(i); }
}`;

export interface FloorMeter {
  /** Median ms of `runs` call-to-data round trips for an output of `elements` float32 values. */
  floorMs(elements: number, runs: number, warmup: number): Promise<number>;
  /**
   * The smallest step between timestamps seen (ns), from back-to-back tiny passes; null where the
   * adapter offers no timestamp queries.
   */
  timestampResolutionNs(): Promise<number | null>;
  destroy(): void;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** A meter on a device of its own from `gpu`, or null when there is no adapter. */
export async function floorMeter(gpu: GPU): Promise<FloorMeter | null> {
  const adapter = await gpu.requestAdapter({powerPreference: 'high-performance'});
  if (adapter == null) return null;
  const timestamps = adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({
    requiredFeatures: timestamps ? ['timestamp-query'] : [],
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: {module: device.createShaderModule({code: FILL_WGSL}), entryPoint: 'main'},
  });
  const maxGroups = device.limits.maxComputeWorkgroupsPerDimension;

  /** One round trip: everything created here too, as an op's first call on fresh buffers would not be. */
  const roundTrip = async (output: GPUBuffer, staging: GPUBuffer, bindGroup: GPUBindGroup) => {
    const groups = Math.ceil(output.size / 4 / WORKGROUP);
    const x = Math.min(groups, maxGroups);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, Math.ceil(groups / x));
    pass.end();
    encoder.copyBufferToBuffer(output, 0, staging, 0, output.size);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const values = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    return values;
  };

  return {
    async floorMs(elements, runs, warmup) {
      const size = elements * 4;
      const output = device.createBuffer({size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC});
      const staging = device.createBuffer({size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST});
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [{binding: 0, resource: {buffer: output}}],
      });
      const times: number[] = [];
      for (let i = 0; i < warmup + runs; i++) {
        const start = performance.now();
        const values = await roundTrip(output, staging, bindGroup);
        const ms = performance.now() - start;
        if (values[elements - 1] !== elements - 1) {
          throw new Error(`floor program: element ${elements - 1} read back as ${values[elements - 1]}`);
        }
        if (i >= warmup) times.push(ms);
      }
      output.destroy();
      staging.destroy();
      return median(times);
    },

    async timestampResolutionNs() {
      if (!timestamps) return null;
      const passes = 64;
      const querySet = device.createQuerySet({type: 'timestamp', count: 2 * passes});
      const resolve = device.createBuffer({
        size: 16 * passes,
        usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
      });
      const staging = device.createBuffer({
        size: 16 * passes,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      const output = device.createBuffer({size: 4 * WORKGROUP, usage: GPUBufferUsage.STORAGE});
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [{binding: 0, resource: {buffer: output}}],
      });
      const encoder = device.createCommandEncoder();
      for (let p = 0; p < passes; p++) {
        const pass = encoder.beginComputePass({
          timestampWrites: {querySet, beginningOfPassWriteIndex: 2 * p, endOfPassWriteIndex: 2 * p + 1},
        });
        pass.setPipeline(pipeline);
        pass.setBindGroup(0, bindGroup);
        pass.dispatchWorkgroups(1);
        pass.end();
      }
      encoder.resolveQuerySet(querySet, 0, 2 * passes, resolve, 0);
      encoder.copyBufferToBuffer(resolve, 0, staging, 0, 16 * passes);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const stamps = Array.from(new BigUint64Array(staging.getMappedRange().slice(0)));
      staging.unmap();
      [querySet, resolve, staging, output].forEach((o) => o.destroy());
      // Every stamp is a multiple of the resolution after the first: their greatest common divisor
      // (a coarse grid shows as a large one, a raw clock as a few ns).
      const step = stamps
        .slice(1)
        .reduce((g, t) => gcd(g, t > stamps[0] ? t - stamps[0] : stamps[0] - t), 0n);
      return step === 0n ? null : Number(step);
    },

    destroy() {
      device.destroy();
    },
  };
}
