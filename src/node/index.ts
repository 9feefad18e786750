/**
 * Helpers for Node.js: choosing a backend (WebGPU through Dawn, the optional `webgpu` package, which
 * must be exposed as `navigator.gpu` before @tensorflow/tfjs-backend-webgpu is imported), and reading
 * and writing model folders.
 *
 * @module tfjs-single-gate-rnn/node
 */
export {adapterFields, describeAdapter} from './adapter_info.js';
export {BackendUnavailableError, chooseBackend, NODE_BACKENDS} from './choose_backend.js';
export type {BackendChoice, BackendName} from './choose_backend.js';
export {installNavigatorGpu} from './navigator_gpu.js';
export {readModelFolder} from './model_folder.js';
export type {ReadModelFolderOptions} from './model_folder.js';
export {writeModelFolder} from './write_model_folder.js';
