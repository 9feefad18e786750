/**
 * tfjs-single-gate-rnn/node: helpers for Node.js. WebGPU comes from Dawn (the optional `webgpu`
 * package), which must be exposed as `navigator.gpu` before @tensorflow/tfjs-backend-webgpu is imported.
 */
export {adapterFields, describeAdapter} from './adapter_info.js';
export {BackendUnavailableError, chooseBackend, NODE_BACKENDS} from './choose_backend.js';
export type {BackendChoice, BackendName} from './choose_backend.js';
export {installNavigatorGpu} from './navigator_gpu.js';
export {readModelFolder} from './model_folder.js';
export type {ReadModelFolderOptions} from './model_folder.js';
export {writeModelFolder} from './write_model_folder.js';
