/// <reference types="node" />
/**
 * Saves a model into a folder on disk in Node.js: `model.save(writeModelFolder('./saved'))`.
 *
 * tfjs' own `file://` handler lives in tfjs-node, which this package does not need; without it
 * `model.save('file://...')` finds no handler. The folder written here is the converter's layout
 * (model.json and one weights shard), which `readModelFolder` reads back for `loadKerasModel`.
 */
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';

import {io} from '@tensorflow/tfjs-core';

/** The one weights shard written beside model.json. */
export const WEIGHTS_SHARD = 'weights.bin';

/**
 * A tfjs save handler that writes `folder/model.json` and `folder/weights.bin`, creating the folder
 * if need be and replacing those two files if they exist. Pass it to `model.save`.
 *
 * @example
 * await model.save(writeModelFolder('./my-model-saved'));
 * const again = await loadKerasModel(await readModelFolder('./my-model-saved'));
 */
export function writeModelFolder(folder: string): io.IOHandler {
  if (typeof folder !== 'string' || folder === '') {
    throw new Error(`writeModelFolder: folder must be a non-empty path, got ${JSON.stringify(folder)}`);
  }
  return io.withSaveHandler(async (artifacts) => {
    if (artifacts.modelTopology == null || artifacts.weightSpecs == null) {
      throw new Error('writeModelFolder: the model gave no topology or no weight specs to save');
    }
    const weights = new Uint8Array(new io.CompositeArrayBuffer(artifacts.weightData ?? []).slice());
    const modelJson: io.ModelJSON = {
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: artifacts.convertedBy ?? null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{paths: [WEIGHTS_SHARD], weights: artifacts.weightSpecs}],
      ...(artifacts.trainingConfig != null ? {trainingConfig: artifacts.trainingConfig} : {}),
      ...(artifacts.userDefinedMetadata != null ? {userDefinedMetadata: artifacts.userDefinedMetadata} : {}),
    };
    await mkdir(folder, {recursive: true});
    await writeFile(join(folder, WEIGHTS_SHARD), weights);
    await writeFile(join(folder, 'model.json'), JSON.stringify(modelJson));
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
        weightSpecsBytes: JSON.stringify(artifacts.weightSpecs).length,
        weightDataBytes: weights.byteLength,
      },
    };
  });
}
