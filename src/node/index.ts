/**
 * tfjs-single-gate-rnn/node: helpers for Node.js.
 */
export {readModelFolder} from './model_folder.js';
export type {ReadModelFolderOptions} from './model_folder.js';
