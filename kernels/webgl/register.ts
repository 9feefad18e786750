/**
 * Registers the WebGL kernel. Only tfjs-core is imported at run time (the webgl package is used for
 * types alone), so importing this without @tensorflow/tfjs-backend-webgl installed is harmless: the
 * kernel just never runs.
 */
import {registerKernel} from '@tensorflow/tfjs-core';

import {singleGateRNNWebGLConfig} from './single_gate_rnn.js';

registerKernel(singleGateRNNWebGLConfig);
