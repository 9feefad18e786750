/** Reads and writes a tfjs layers model as `model.json` + one weights file, for Node.js. */
import {readFile, mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';

import * as tf from '@tensorflow/tfjs-core';

const WEIGHTS_FILE = 'weights.bin';

/** An IOHandler that saves into `directory` (tfjs' file:// handler needs tfjs-node). */
export function fileSaver(directory: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    await mkdir(directory, {recursive: true});
    const modelJson = {
      format: 'layers-model',
      generatedBy: 'tfjs-single-gate-rnn demo/train.ts',
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs}],
    };
    await writeFile(join(directory, 'model.json'), JSON.stringify(modelJson, null, 1) + '\n');
    const data = artifacts.weightData as ArrayBuffer;
    await writeFile(join(directory, WEIGHTS_FILE), new Uint8Array(data));
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        weightDataBytes: data.byteLength,
      },
    };
  });
}

/** Model artifacts from a saved `model.json` and its single weights file. */
export async function fileLoader(directory: string): Promise<tf.io.IOHandler> {
  const modelJson = JSON.parse(await readFile(join(directory, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  const [group] = modelJson.weightsManifest;
  const bytes = await readFile(join(directory, group.paths[0]));
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return tf.io.fromMemory({modelTopology: modelJson.modelTopology, weightSpecs: group.weights, weightData});
}
