/**
 * Registers the wasm kernel. Only tfjs-core is imported at run time (the wasm package is used for
 * types alone), so importing this without @tensorflow/tfjs-backend-wasm installed is harmless: the
 * kernel just never runs.
 */

import {singleGateRNNWasmConfig} from './single_gate_rnn.js';
import {registerKernelOnce} from '../register_once.js';

registerKernelOnce(singleGateRNNWasmConfig);
