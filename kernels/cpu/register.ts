import {registerKernel} from '@tensorflow/tfjs-core';

import {singleGateRNNCpuConfig} from './single_gate_rnn.js';

registerKernel(singleGateRNNCpuConfig);
