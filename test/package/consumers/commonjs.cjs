// The package in plain Node.js through require(), with its peer dependencies only, on the cpu backend.
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
const pkg = require('tfjs-single-gate-rnn');
const nodeEntry = require('tfjs-single-gate-rnn/node');

const {checkOpAndLayer} = require('./check.cjs');

async function main() {
  await tf.setBackend('cpu');
  await checkOpAndLayer(tf, tfl, pkg);
  // Object.keys of a CommonJS module lists its exports as an ES module namespace would, minus __esModule.
  const names = (m) =>
    Object.keys(m)
      .filter((k) => k !== '__esModule')
      .sort();
  console.log('exports: ' + JSON.stringify([names(pkg), names(nodeEntry)]));
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
