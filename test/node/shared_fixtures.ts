/**
 * The fixtures of ../shared (never copied into the repository), read from disk for the Node runner:
 * the ten real Keras models and the real Keras 3 converter output. Where ../shared is absent (a
 * clone elsewhere) `sharedFixturesMissing` says so, and the runner skips them; in CI (CI=true) that
 * is a failure instead.
 */
import {io} from '@tensorflow/tfjs-core';
import {access, readFile} from 'node:fs/promises';
import {join} from 'node:path';

import {readModelFolder} from '../../src/node/index.js';
import type {LoadableFixture} from '../keras/never_worse_cases.js';
import {REAL_MODELS, REAL_MODELS_PATH, RealExpected, RealModelEnv} from '../keras/real_keras_cases.js';

/** The npm script runs from the repository root. */
const SHARED_FIXTURES = join(process.cwd(), '..', 'shared', 'fixtures');
const REAL_MODELS_DIR = join(process.cwd(), REAL_MODELS_PATH);

/** A reason to skip the shared fixtures, or null when they are there. */
export async function sharedFixturesMissing(): Promise<string | null> {
  try {
    await access(join(REAL_MODELS_DIR, REAL_MODELS[0], 'model.json'));
    return null;
  } catch {
    return `../shared/fixtures is absent (${REAL_MODELS_DIR}): the real Keras models are not run`;
  }
}

/** A model folder as a tfjs IOHandler, for stock tf.loadLayersModel. */
export async function folderHandler(folder: string): Promise<io.IOHandler> {
  const modelJson = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as io.ModelJSON;
  const artifacts = await io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const buffers = await Promise.all(
      manifest
        .flatMap((g) => g.paths)
        .map(async (p) => new Uint8Array(await readFile(join(folder, p))).slice().buffer),
    );
    return [io.getWeightSpecs(manifest), io.concatenateArrayBuffers(buffers)];
  });
  return io.fromMemory(artifacts);
}

export const realModelEnv: RealModelEnv = {
  source: (name) => readModelFolder(join(REAL_MODELS_DIR, name)),
  handler: (name) => folderHandler(join(REAL_MODELS_DIR, name)),
  async expected(name) {
    return JSON.parse(await readFile(join(REAL_MODELS_DIR, name, 'expected.json'), 'utf8')) as RealExpected;
  },
};

/** The shared fixtures as both loaders take them, for the "never worse than stock" cases. */
export function sharedLoadableFixtures(): LoadableFixture[] {
  const folders = [
    ...REAL_MODELS.map((name) => join(REAL_MODELS_DIR, name)),
    join(SHARED_FIXTURES, 'keras3-bilstm-real'),
  ];
  return folders.map((folder) => ({
    label: folder.slice(SHARED_FIXTURES.length + 1),
    source: () => readModelFolder(folder),
    handler: () => folderHandler(folder),
  }));
}
