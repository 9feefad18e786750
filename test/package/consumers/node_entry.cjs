// The Node entry through require(): the same as node_entry.js.
const tf = require('@tensorflow/tfjs-core');
const tfl = require('@tensorflow/tfjs-layers');
const pkg = require('tfjs-single-gate-rnn');
const {chooseBackend} = require('tfjs-single-gate-rnn/node');

const {checkOpAndLayer} = require('./check.cjs');

async function main() {
  const choice = await chooseBackend('webgpu');
  if (choice.name !== 'webgpu' || tf.getBackend() !== 'webgpu')
    throw new Error(`not on webgpu: ${choice.detail}`);
  await checkOpAndLayer(tf, tfl, pkg);
  console.log(`backend: ${choice.name} (${choice.detail})`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
