/**
 * The demo: loads the bundled model (a SingleGateRNN layer followed by a Dense layer, trained to
 * continue sine waves), runs it on the best backend this machine has, and compares it with
 * tf.layers.simpleRNN carrying the same weights.
 *
 *   npm start                 best backend (WebGPU when a GPU driver offers an adapter, else cpu)
 *   BACKEND=wasm npm start    force a backend: webgpu, wasm or cpu
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import {join, sep} from 'node:path';

// The package registers its kernels and layer class when imported.
import '../src/index.js';
import type {SingleGateRNNLayer} from '../src/index.js';
import {BackendUnavailableError, chooseBackend} from '../src/node/index.js';
import {medianMs, simpleRNNTwin, speedPhrase} from './compare.js';
import {fileLoader} from './model_files.js';
import {makeWaves, WINDOW} from './sine.js';

const MODEL_DIR = 'demo/model';

async function main(): Promise<void> {
  // The demo runs as a bundle in build/, away from the wasm backend's binaries: point it at them.
  setWasmPaths(join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + sep);
  const backend = await chooseBackend(process.env.BACKEND);
  console.log(`backend: ${backend.name} (${backend.detail})`);

  const model = await tfl.loadLayersModel(await fileLoader(MODEL_DIR));
  const rnn = model.layers[0] as SingleGateRNNLayer;
  const neuron = rnn.inputWeights?.neuron?.type ?? 'none';
  console.log(
    `model: ${MODEL_DIR}: SingleGateRNN (${rnn.outputFeatureChannels} channels, ${neuron}, ` +
      `${rnn.useFloat32Weights ? 'float32' : 'float16'} weights) -> Dense(1), continues a sine wave\n`,
  );

  // 1. Next-sample predictions on waves the model has not seen.
  const test = makeWaves(5, 2024);
  const predicted = (await (model.predict(test.windows) as tf.Tensor).data()) as Float32Array;
  const truth = (await test.next.data()) as Float32Array;
  console.log(`next sample after a window of ${WINDOW}:`);
  console.log('  frequency   predicted      true     error');
  for (let n = 0; n < test.params.length; n++) {
    const row = [
      test.params[n].omega.toFixed(3),
      predicted[n].toFixed(5),
      truth[n].toFixed(5),
      (predicted[n] - truth[n]).toExponential(1),
    ];
    console.log(`  ${row[0].padStart(9)} ${row[1].padStart(11)} ${row[2].padStart(9)} ${row[3].padStart(9)}`);
  }

  // 2. Let the model continue one wave on its own for 16 steps, feeding back its predictions.
  const {omega, phase} = test.params[0];
  const window = Array.from({length: WINDOW}, (_, t) => Math.sin(omega * t + phase));
  const generated: string[] = [];
  let worst = 0;
  for (let k = 0; k < 16; k++) {
    // Asynchronous reads: the webgpu backend cannot read synchronously in Node.
    const prediction = tf.tidy(() => model.predict(tf.tensor3d(window, [1, WINDOW, 1])) as tf.Tensor);
    const next = (await prediction.data())[0];
    prediction.dispose();
    worst = Math.max(worst, Math.abs(next - Math.sin(omega * (WINDOW + k) + phase)));
    generated.push(next.toFixed(2));
    window.shift();
    window.push(next);
  }
  console.log(`\ngenerated continuation (frequency ${omega.toFixed(3)}): ${generated.join(' ')}`);
  console.log(`  largest error against the true wave over 16 steps: ${worst.toExponential(2)}\n`);

  // 3. The same layer as tf.layers.simpleRNN (W and U transposed), on a larger batch of longer windows.
  const baseline = simpleRNNTwin(model);
  const [batch, steps] = [64, 200];
  const long = makeWaves(batch, 7, steps).windows;
  const ours = model.predict(long) as tf.Tensor;
  const theirs = baseline.predict(long) as tf.Tensor;
  const largest = tf.tidy(() => tf.max(tf.abs(tf.sub(ours, theirs))));
  const diff = (await largest.data())[0];
  largest.dispose();
  const oursMs = await medianMs(() => model.predict(long) as tf.Tensor, 5);
  const theirsMs = await medianMs(() => baseline.predict(long) as tf.Tensor, 5);
  console.log(`batch ${batch} x ${steps} steps on ${backend.name}:`);
  console.log(`  SingleGateRNN        ${oursMs.toFixed(2).padStart(9)} ms`);
  console.log(`  tf.layers.simpleRNN  ${theirsMs.toFixed(2).padStart(9)} ms`);
  console.log(`  SingleGateRNN is ${speedPhrase(oursMs, theirsMs)} on ${backend.name}`);
  console.log(`  largest difference between their predictions: ${diff.toExponential(2)}`);
  tf.dispose([ours, theirs, long]);
}

main().catch((e: unknown) => {
  // A backend this machine lacks is the user's setup, not a bug: say so in one line, without a stack.
  console.error(e instanceof BackendUnavailableError ? `demo: ${e.message}; BACKEND=cpu runs on the cpu` : e);
  process.exitCode = 1;
});
