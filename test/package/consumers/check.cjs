// What a first user of the package does, for the consumer scripts of every module format and entry:
// the op against values worked out here, and a layer (building one runs tfjs-layers' initializers, which
// call chained tensor methods such as flatten()). Runs on whatever tfjs backend is active.
const assert = require('node:assert/strict');

/** h_t = W x_t + U h_{t-1} (no neuron, no bias), in float64, for one batch row. */
function reference(x, w, u, time, inputs, units) {
  const out = [];
  let h = new Array(units).fill(0);
  for (let t = 0; t < time; t++) {
    const next = [];
    for (let j = 0; j < units; j++) {
      let sum = 0;
      for (let i = 0; i < inputs; i++) sum += w[j * inputs + i] * x[t * inputs + i];
      for (let k = 0; k < units; k++) sum += u[j * units + k] * h[k];
      next.push(sum);
    }
    out.push(...next);
    h = next;
  }
  return out;
}

async function checkOpAndLayer(tf, tfl, pkg) {
  const [time, inputs, units] = [3, 2, 4];
  // Small multiples of 1/8: exact in float16, float32 and float64, so every backend must match exactly.
  const values = (n, seed) => Array.from({length: n}, (_, k) => (((k * 7 + seed) % 9) - 4) / 8);
  const x = values(time * inputs, 1);
  const w = values(units * inputs, 2);
  const u = values(units * units, 3);
  const {output, finalState} = pkg.singleGateRNN(tf.tensor3d(x, [1, time, inputs]), {
    inputFeatureChannels: inputs,
    outputFeatureChannels: units,
    inputWeights: {weights: tf.tensor2d(w, [units, inputs])},
    recurrentWeights: {weights: tf.tensor2d(u, [units, units])},
  });
  const expected = reference(x, w, u, time, inputs, units);
  assert.deepEqual(Array.from(await output.data()), expected, `op output on ${tf.getBackend()}`);
  assert.deepEqual(Array.from(await finalState.data()), expected.slice(-units), 'final state');

  const model = tfl.sequential({
    layers: [pkg.singleGateRNNLayer({outputFeatureChannels: units, inputShape: [null, inputs]})],
  });
  const y = model.predict(tf.ones([2, time, inputs]));
  assert.deepEqual(y.shape, [2, units], 'layer output shape');
  assert.ok((await y.data()).every(Number.isFinite), 'layer output is finite');
}

module.exports = {checkOpAndLayer};
