/**
 * Runs the Keras fixture cases in Node (`npm run test:node`): the shared cases with fixtures read by
 * `readModelFolder`, on the cpu, wasm and webgpu backends and on a backend without our kernel (the
 * portable path), then the Node-only ones (the folder helper's refusals, two origins over HTTP).
 * webgpu is Dawn (the `webgpu` package): without a GPU driver, VK_ICD_FILENAMES is pointed at
 * Chromium's SwiftShader unless set (dawn_env.ts); a machine where Dawn finds no adapter fails the run.
 * Prints one line per case and a closing "N passed, N failed"; exits non-zero on any failure.
 */
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-backend-cpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
// Before anything that imports the package (see the check in main).
import {layerIdBeforeImport} from './layers_before_import.js';

import {env as tfEnv, getBackend, io, setBackend} from '@tensorflow/tfjs-core';
import {layers} from '@tensorflow/tfjs-layers';
import {readFile} from 'node:fs/promises';
import {join, sep} from 'node:path';

import {installNavigatorGpu, readModelFolder} from '../../src/node/index.js';
import {BIDIRECTIONAL_CASES} from '../keras/bidirectional_cases.js';
import {CASES, Expected, FixtureEnv, GOOD_FIXTURES} from '../keras/cases.js';
import {dawnEnv} from './dawn_env.js';
import {PORTABLE_TEST_BACKEND} from '../util/portable_backend.js';
import {toleranceFor} from '../util/tolerance.js';
import {LOAD_OPTION_CASES} from '../keras/load_option_cases.js';
import {MANIFEST_CASES} from '../keras/manifest_cases.js';
import {INSPECT_CASES} from '../keras/inspect_cases.js';
import {KERAS_ROUTE_CASES} from '../keras/keras_route_cases.js';
import {STRICT_WARNING_CASES} from '../keras/strict_warning_cases.js';
import {modelFolderCases} from './model_folder_cases.js';
import {twoOriginCases} from './two_origins.js';
import {
  compareWithStock,
  LoadableFixture,
  NEVER_WORSE_TOLERANCE,
  STOCK_COMPARED_FIXTURES,
} from '../keras/never_worse_cases.js';
import {REAL_MODELS, runRealModel} from '../keras/real_keras_cases.js';
import {
  folderHandler,
  realModelEnv,
  sharedFixturesMissing,
  sharedLoadableFixtures,
} from './shared_fixtures.js';

/** The npm script runs from the repository root. */
const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'keras');

async function readJson<T>(...parts: string[]): Promise<T> {
  return JSON.parse(await readFile(join(FIXTURES, ...parts), 'utf8')) as T;
}

async function readShard(name: string, path: string): Promise<ArrayBuffer> {
  return new Uint8Array(await readFile(join(FIXTURES, name, path))).slice().buffer;
}

const env: FixtureEnv = {
  source: (name) => readModelFolder(join(FIXTURES, name)),
  async handler(name) {
    const modelJson = await readJson<io.ModelJSON>(name, 'model.json');
    const artifacts = await io.getModelArtifactsForJSON(modelJson, async (manifest) => {
      const buffers = await Promise.all(manifest.flatMap((g) => g.paths).map((p) => readShard(name, p)));
      return [io.getWeightSpecs(manifest), io.concatenateArrayBuffers(buffers)];
    });
    return io.fromMemory(artifacts);
  },
  expected: (name) => readJson<Expected>(name, 'expected.json'),
  bytes: (name, file) => readShard(name, file),
};

/** The project's own fixtures as both loaders take them. */
const projectFixtures: LoadableFixture[] = [...GOOD_FIXTURES, ...STOCK_COMPARED_FIXTURES].map((name) => ({
  label: `test/fixtures/keras/${name}`,
  source: () => readModelFolder(join(FIXTURES, name)),
  handler: () => folderHandler(join(FIXTURES, name)),
}));

/** A case the runner reports; `run` may return a detail for its line (a measured error). */
interface NamedCase {
  name: string;
  run(): Promise<string | void>;
}

/** The real models and the "never worse than stock tfjs" comparison, for one backend. */
function sharedFixtureCases(withShared: boolean): NamedCase[] {
  const fixtures = [...projectFixtures, ...(withShared ? sharedLoadableFixtures() : [])];
  return [
    ...(withShared ? REAL_MODELS : []).map((name) => ({
      name: `real Keras model ${name}`,
      run: async () => `max |error| ${(await runRealModel(realModelEnv, name)).toExponential(1)}`,
    })),
    ...fixtures.map((fixture) => ({
      name: `never worse than stock tfjs: ${fixture.label}`,
      async run() {
        const stockLoads = await compareWithStock(fixture, NEVER_WORSE_TOLERANCE);
        if (!stockLoads && STOCK_COMPARED_FIXTURES.some((name) => fixture.label.endsWith(`/${name}`))) {
          throw new Error(`${fixture.label}: stock tfjs refuses it, so nothing checks it`);
        }
        return stockLoads ? 'stock tfjs loads it: same outputs' : 'stock tfjs refuses it';
      },
    })),
  ];
}

/** The backends the shared cases run on; the Node-only ones (folder helper, two origins) run on cpu. */
const BACKENDS = ['cpu', 'wasm', 'webgpu'];

/**
 * Registers the webgpu backend on Dawn: navigator.gpu must exist before tfjs-backend-webgpu is
 * imported (it registers itself only then), so that import waits until here.
 */
async function loadWebGpu(): Promise<void> {
  Object.assign(process.env, dawnEnv());
  const gpu = await installNavigatorGpu();
  if ((await gpu.requestAdapter()) == null) {
    throw new Error(
      'Dawn found no WebGPU adapter: without a GPU, point VK_ICD_FILENAMES at a software Vulkan driver ' +
        "such as Chromium's vk_swiftshader_icd.json",
    );
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  // Small ops would otherwise run on the cpu backend when their inputs are there: the webgpu cases
  // must run on the GPU.
  tfEnv().set('WEBGPU_CPU_FORWARD', false);
}

async function main(): Promise<void> {
  // Bundled, the wasm backend cannot find its binaries next to itself: point it at the package's.
  setWasmPaths(join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + sep);
  await loadWebGpu();
  await setBackend('cpu');
  let passed = 0;
  let failed = 0;
  // The package is loaded by now; the next layer must be the one right after the one made before.
  const nextId = layers.dense({units: 1}).id;
  if (nextId === layerIdBeforeImport + 1) {
    passed++;
    console.log('  ok    importing the package constructs no layer');
  } else {
    failed++;
    console.log(`  FAIL  importing the package constructed ${nextId - layerIdBeforeImport - 1} layers`);
  }
  const nodeOnly = [...modelFolderCases(FIXTURES), ...twoOriginCases(FIXTURES)];
  const missing = await sharedFixturesMissing();
  if (missing != null) {
    if (process.env['CI'] === 'true') {
      failed++;
      console.log(`  FAIL  ${missing}; CI needs them`);
    } else {
      console.log(`  skip  ${missing}`);
    }
  }
  for (const backend of BACKENDS) {
    if (!(await setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
    const tolerance = toleranceFor(getBackend());
    for (const c of [
      ...CASES,
      ...BIDIRECTIONAL_CASES,
      ...MANIFEST_CASES,
      ...LOAD_OPTION_CASES,
      ...STRICT_WARNING_CASES,
      ...INSPECT_CASES,
      ...KERAS_ROUTE_CASES,
      ...(backend === 'cpu' ? nodeOnly : []),
    ]) {
      try {
        await c.run(env, tolerance);
        passed++;
        console.log(`  ok    [${backend}] ${c.name}`);
      } catch (e) {
        failed++;
        console.log(
          `  FAIL  [${backend}] ${c.name}\n        ${(e as Error).message.split('\n').join('\n        ')}`,
        );
      }
    }
    for (const c of sharedFixtureCases(missing == null)) {
      try {
        const detail = await c.run();
        passed++;
        console.log(`  ok    [${backend}] ${c.name}${detail ? `: ${detail}` : ''}`);
      } catch (e) {
        failed++;
        console.log(
          `  FAIL  [${backend}] ${c.name}\n        ${(e as Error).message.split('\n').join('\n        ')}`,
        );
      }
    }
  }
  // The same models on a backend without our kernel: the portable path.
  await setBackend(PORTABLE_TEST_BACKEND);
  for (const c of CASES) {
    try {
      await c.run(env, toleranceFor(PORTABLE_TEST_BACKEND));
      passed++;
      console.log(`  ok    ${c.name} [${PORTABLE_TEST_BACKEND}]`);
    } catch (e) {
      failed++;
      console.log(
        `  FAIL  ${c.name} [${PORTABLE_TEST_BACKEND}]\n        ${(e as Error).message.split('\n').join('\n        ')}`,
      );
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) process.exit(1);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
