// The package in plain Node.js as an ES module, with its peer dependencies only, on the cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as pkg from 'tfjs-single-gate-rnn';
import * as nodeEntry from 'tfjs-single-gate-rnn/node';

import {checkOpAndLayer} from './check.cjs';

await tf.setBackend('cpu');
await checkOpAndLayer(tf, tfl, pkg);
console.log('exports: ' + JSON.stringify([Object.keys(pkg).sort(), Object.keys(nodeEntry).sort()]));
