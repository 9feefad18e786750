/**
 * The one place that loads tfjs for the specs. Every spec imports the helpers, which import this file,
 * so the bundle registers the same backends and kernels whatever subset of specs runs.
 *
 * The specs test the package as built (`dist/`, through its own name), so a broken `exports` map or a
 * missing file fails here as it would for a user.
 */
// Without the @tensorflow/tfjs union package nothing adds the chained methods (`t.flatten()`) to
// Tensor, and tfjs-layers calls them internally.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import 'tfjs-single-gate-rnn';

import {env} from '@tensorflow/tfjs-core';

import {installGpuWatchdog} from './gpu_watchdog.js';
// After the package: it copies the cpu kernels, ours left out.
import './portable_backend.js';

// tfjs-backend-webgpu runs small ops on the cpu backend when their inputs are there; the webgpu specs
// must exercise the GPU, not quietly fall back.
env().set('WEBGPU_CPU_FORWARD', false);
// The webgl backend does the same for small inputs still on the CPU.
env().set('WEBGL_CPU_FORWARD', false);

// A bundle cannot locate the wasm backend's binaries by itself: karma serves them from the package
// (karma.conf.js).
setWasmPaths('/base/node_modules/@tensorflow/tfjs-backend-wasm/dist/');

// A GPU read that hangs fails its spec quickly, naming it, instead of stalling the run.
installGpuWatchdog();
