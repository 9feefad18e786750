// The Node entry as an ES module: chooseBackend('webgpu') exposes Dawn as navigator.gpu and loads the
// webgpu backend, after the package itself was imported (the package must not need the backend first).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as pkg from 'tfjs-single-gate-rnn';
import {chooseBackend} from 'tfjs-single-gate-rnn/node';

import {checkOpAndLayer} from './check.cjs';

const choice = await chooseBackend('webgpu');
if (choice.name !== 'webgpu' || tf.getBackend() !== 'webgpu')
  throw new Error(`not on webgpu: ${choice.detail}`);
await checkOpAndLayer(tf, tfl, pkg);
console.log(`backend: ${choice.name} (${choice.detail})`);
