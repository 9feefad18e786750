/**
 * Randomized agreement between each GPU backend's kernel and the cpu kernel: random shapes and
 * configurations (cases/webgpu.ts), plus pinned cases for both recurrence strategies. Every case names
 * its seed, so a failure can be rerun alone. The Node check (test/node/webgpu_vs_cpu.ts) runs far more
 * of the same random configurations.
 */
import {backendsWithKernel} from './util/backends.js';
import {expectSameAsCpuKernel} from './util/against_cpu.js';
import {describeConfig, PINNED, randomConfig} from './cases/webgpu.js';

const CASES = 40;

const GPU_BACKENDS = backendsWithKernel().filter((b) => b.name !== 'cpu');

for (const backend of GPU_BACKENDS) {
  describe(`${backend.name} against the cpu kernel, random configurations`, () => {
    const configs = [...Array.from({length: CASES}, (_, k) => randomConfig(k + 1)), ...PINNED];
    for (const config of configs) {
      it(describeConfig(config), () => expectSameAsCpuKernel(config, backend));
    }
  });
}
