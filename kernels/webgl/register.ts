/**
 * Registers the WebGL kernel. Only tfjs-core is imported at run time (the webgl package is used for
 * types alone), so importing this without @tensorflow/tfjs-backend-webgl installed is harmless: the
 * kernel just never runs.
 */

import {singleGateRNNWebGLConfig} from './single_gate_rnn.js';
import {registerKernelOnce} from '../register_once.js';

registerKernelOnce(singleGateRNNWebGLConfig);
