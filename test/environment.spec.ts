/**
 * Checks the test environment itself, so that a browser without WebGPU, a backend missing from the
 * bundle or a broken tfjs-layers setup fails here with a plain message instead of as odd errors (or,
 * worse, as quietly skipped backends) in the op specs.
 */
import {engine, env, getKernel, matMul, memory, tensor2d, tensor3d, tidy} from '@tensorflow/tfjs-core';
import {layers, sequential} from '@tensorflow/tfjs-layers';
import {assert, expect} from 'chai';

import {SingleGateRNN as SingleGateRNNKernelName} from '../src/contracts/matrix_kernel.js';
import {describeAdapter} from '../src/node/adapter_info.js';
import {useBackend} from './util/backends.js';
import {CPU_TOLERANCE, WEBGL_TOLERANCE, WEBGPU_TOLERANCE} from './util/tolerance.js';
import {expectTensorClose} from './util/close.js';
import {expectNoLeaks} from './util/memory.js';

/** One line on the adapter for the run log: which GPU (or software renderer) the results come from. */
function describeAdapterAndLimits(adapter: GPUAdapter): string {
  const limits = adapter.limits;
  return (
    `${describeAdapter(adapter.info)}; ` +
    `maxComputeInvocationsPerWorkgroup=${limits.maxComputeInvocationsPerWorkgroup}, ` +
    `maxStorageBufferBindingSize=${limits.maxStorageBufferBindingSize}, ` +
    `features=[${[...adapter.features].sort().join(', ')}]`
  );
}

describe('test environment', () => {
  it('exposes WebGPU with an adapter and a device', async () => {
    assert.exists(navigator.gpu, 'navigator.gpu: WebGPU is not enabled in this browser (see karma.conf.js)');
    const adapter = await navigator.gpu.requestAdapter();
    assert.isNotNull(adapter, 'navigator.gpu.requestAdapter() gave no adapter');
    console.log(`${navigator.userAgent}\n  WebGPU adapter: ${describeAdapterAndLimits(adapter)}`);
    const device = await adapter.requestDevice();
    device.destroy();
  });

  it('bundles the cpu, webgl and webgpu backends', () => {
    // A bundler honouring a package's `sideEffects` list can drop a bare `import '...backend'`.
    expect(engine().backendNames()).to.include.members(['cpu', 'webgl', 'webgpu']);
  });

  it('gives the webgl backend WebGL 2 with float32 textures', async () => {
    await useBackend('webgl');
    // The webgl kernel's GLSL is ES 3.0, and its tolerance assumes float32 storage: float16 render
    // targets (tfjs' fallback) would round every state to three decimal digits.
    const flags = ['WEBGL_VERSION', 'WEBGL_RENDER_FLOAT32_ENABLED', 'WEBGL_MAX_TEXTURES_IN_SHADER'];
    const values = Object.fromEntries(flags.map((flag) => [flag, env().get(flag)]));
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    const renderer: unknown =
      gl == null ? 'none' : gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER);
    console.log(`${navigator.userAgent}\n  WebGL renderer: ${String(renderer)}; ${JSON.stringify(values)}`);
    expect(values.WEBGL_VERSION, 'WEBGL_VERSION').to.equal(2);
    expect(values.WEBGL_RENDER_FLOAT32_ENABLED, 'WEBGL_RENDER_FLOAT32_ENABLED').to.equal(true);
  });

  it('registers the SingleGateRNN cpu kernel', () => {
    assert.exists(getKernel(SingleGateRNNKernelName, 'cpu'), 'SingleGateRNN cpu kernel');
  });

  it('registers the SingleGateRNN webgl kernel', () => {
    assert.exists(getKernel(SingleGateRNNKernelName, 'webgl'), 'SingleGateRNN webgl kernel');
  });

  for (const [name, tolerance] of [
    ['cpu', CPU_TOLERANCE],
    ['webgpu', WEBGPU_TOLERANCE],
    ['webgl', WEBGL_TOLERANCE],
  ] as const) {
    it(`initializes the ${name} backend and computes on it`, async () => {
      await useBackend(name);
      await expectNoLeaks(async () => {
        const product = tidy(() => matMul(tensor2d([1, 2, 3, 4], [2, 2]), tensor2d([5, 6, 7, 8], [2, 2])));
        await expectTensorClose(
          product,
          [
            [19, 22],
            [43, 50],
          ],
          tolerance,
          {what: `matMul on ${name}`},
        );
        product.dispose();
      });
    });
  }

  it('runs a tfjs-layers simpleRNN model on cpu', async () => {
    await useBackend('cpu');
    const tensorsBefore = memory().numTensors;
    // Unit weights and a linear activation make the result a running sum: h_t = x_t + h_{t-1}.
    const model = sequential({
      layers: [
        layers.simpleRNN({
          units: 1,
          inputShape: [3, 1],
          activation: 'linear',
          kernelInitializer: 'ones',
          recurrentInitializer: 'ones',
          biasInitializer: 'zeros',
          returnSequences: true,
        }),
      ],
    });
    const x = tensor3d([1, 2, 3], [1, 3, 1]);
    const y = model.predict(x);
    if (Array.isArray(y)) throw new Error('a one-output model predicted several tensors');
    await expectTensorClose(y, [[[1], [3], [6]]], CPU_TOLERANCE, {what: 'simpleRNN output'});
    model.dispose();
    x.dispose();
    y.dispose();
    expect(memory().numTensors, 'live tensors after disposing the model').to.equal(tensorsBefore);
  });
});
