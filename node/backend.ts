// The Node.js helpers moved into the package (src/node, shipped as tfjs-single-gate-rnn/node); this path
// stays for the programs that still import it.
export * from '../src/node/index.js';
