/**
 * The SingleGateRNN layer's bidirectional form (`bidirectionalCombineMode`) and its sequence lengths
 * input: against the float64 reference on every backend, against stock
 * `tf.layers.bidirectional(tf.layers.simpleRNN)` on cpu, serialization, and the errors.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {expect} from 'chai';

import {
  LayerCombineMode,
  SingleGateRNNLayer,
  singleGateRNNLayer,
  SingleGateRNNLayerArgs,
} from 'tfjs-single-gate-rnn';
import {messageOf} from './message_of.js';
import {referenceCombine, referenceLayer, ReferenceLayerRun} from './reference/sequence_reference.js';
import {describeAllBackends, useBackend} from './util/backends.js';
import {expectArraysClose} from './util/close.js';
import {Random} from './util/random.js';
import {toleranceFor} from './util/tolerance.js';

const [B, T, I, H] = [3, 6, 4, 5];
const MODES: readonly LayerCombineMode[] = ['none', 'add', 'concatenate', 'mul', 'ave'];
/** tfjs' mergeMode for each of ours. */
const TFJS_MERGE_MODE = {none: null, add: 'sum', concatenate: 'concat', mul: 'mul', ave: 'ave'} as const;
const TANH = {type: 'tanh', a: 1, b: 1} as const;
/** What tf.layers.bidirectional's typings take: tfjs' RNN, which our layer is not. */
type WrappedRNN = Parameters<typeof tfl.layers.bidirectional>[0]['layer'];

/** One direction's weights in MPS' layout: W [H, I], U [H, H], b [H]. */
interface DirectionWeights {
  w: Float32Array;
  u: Float32Array;
  bias: Float32Array;
}

function randomWeights(random: Random): DirectionWeights {
  return {
    w: random.floats(H * I, -0.6, 0.6),
    u: random.floats(H * H, -0.5, 0.5),
    bias: random.floats(H, -0.3, 0.3),
  };
}

/** A bidirectional tanh layer with float32 weights, as Keras' SimpleRNN computes. */
function bidirectionalLayer(
  mode: LayerCombineMode,
  args: Partial<SingleGateRNNLayerArgs> = {},
): SingleGateRNNLayer {
  return singleGateRNNLayer({
    outputFeatureChannels: H,
    useFloat32Weights: true,
    inputWeights: {neuron: TANH},
    bidirectionalCombineMode: mode,
    ...args,
  });
}

/** Builds the layer for [*, *, I] and gives it the weights: forward's, then backward's. */
function setWeights(layer: SingleGateRNNLayer, forward: DirectionWeights, backward: DirectionWeights): void {
  if (!layer.built) layer.build([null, T, I]);
  const direction = ({w, u, bias}: DirectionWeights) => [
    tf.tensor2d(w, [H, I]),
    tf.tensor2d(u, [H, H]),
    tf.tensor1d(bias),
  ];
  layer.setWeights([...direction(forward), ...direction(backward)]);
}

function referenceDirection(
  weights: DirectionWeights,
  backward: boolean,
  x: Float32Array,
  batch: number,
  initialState: Float32Array | null,
  lengths: number[] | null,
): ReferenceLayerRun {
  const layer = {inputChannels: I, outputChannels: H, ...weights, neuron: {...TANH, c: 0}, backward};
  return referenceLayer({...layer, float16Weights: false}, x, batch, T, initialState, lengths);
}

/** The merged reference outputs of `rows` rows of H values per direction. */
function referenceMerge(
  mode: LayerCombineMode,
  f: Float64Array,
  b: Float64Array,
  rows: number,
): Float64Array[] {
  switch (mode) {
    case 'none':
      return [f, b];
    case 'add':
    case 'concatenate':
      return [referenceCombine(mode, f, b, rows, 1, H, H)];
    case 'mul':
      return [f.map((v, k) => v * b[k])];
    case 'ave':
      return [f.map((v, k) => (v + b[k]) / 2)];
  }
}

async function dataOf(y: tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  return Promise.all((Array.isArray(y) ? y : [y]).map(async (t) => (await t.data()) as Float32Array));
}

describeAllBackends('SingleGateRNN layer, bidirectional', ({tolerance}) => {
  const random = new Random(81);
  const x = random.floats(B * T * I);
  const [forward, backward] = [randomWeights(random), randomWeights(random)];
  const [h0Forward, h0Backward] = [random.floats(B * H), random.floats(B * H)];
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  for (const mode of MODES) {
    for (const returnSequences of [true, false]) {
      it(`'${mode}', ${returnSequences ? 'sequences' : 'final states'}: predict matches the reference`, async () => {
        const layer = bidirectionalLayer(mode, {returnSequences});
        const input = tfl.input({shape: [T, I]});
        const model = tfl.model({inputs: input, outputs: layer.apply(input) as tfl.SymbolicTensor[]});
        setWeights(layer, forward, backward);
        const got = await dataOf(model.predict(tf.tensor3d(x, [B, T, I])));
        const [f, b] = [
          referenceDirection(forward, false, x, B, null, null),
          referenceDirection(backward, true, x, B, null, null),
        ];
        const expected = returnSequences
          ? referenceMerge(mode, f.output, b.output, B * T)
          : referenceMerge(mode, f.finalState, b.finalState, B);
        expect(got).to.have.lengthOf(expected.length);
        got.forEach((values, k) => expectArraysClose(values, expected[k], tolerance, {what: `output ${k}`}));
      });
    }
  }

  it('returnState gives both final states, and [x, forwardState, backwardState] sets both h_{-1}', async () => {
    const input = tfl.input({shape: [T, I]});
    const states = [tfl.input({shape: [H]}), tfl.input({shape: [H]})];
    const layer = bidirectionalLayer('none', {returnSequences: true, returnState: true});
    const outputs = layer.apply([input, ...states]) as tfl.SymbolicTensor[];
    expect(outputs.map((o) => o.shape)).to.deep.equal([
      [null, T, H],
      [null, T, H],
      [null, H],
      [null, H],
    ]);
    const model = tfl.model({inputs: [input, ...states], outputs});
    setWeights(layer, forward, backward);
    const got = await dataOf(
      model.predict([
        tf.tensor3d(x, [B, T, I]),
        tf.tensor2d(h0Forward, [B, H]),
        tf.tensor2d(h0Backward, [B, H]),
      ]),
    );
    const f = referenceDirection(forward, false, x, B, h0Forward, null);
    const b = referenceDirection(backward, true, x, B, h0Backward, null);
    const expected = [f.output, b.output, f.finalState, b.finalState];
    got.forEach((values, k) => expectArraysClose(values, expected[k], tolerance, {what: `output ${k}`}));
  });

  for (const mode of [null, 'concatenate'] as const) {
    it(`${mode == null ? 'one direction' : `bidirectional '${mode}'`}: [x, sequenceLengths] equals each row alone`, async () => {
      const lengths = [T, 2, 4];
      const input = tfl.input({shape: [null, I]});
      const lengthsInput = tfl.input({shape: [1], dtype: 'int32'});
      const layer = singleGateRNNLayer({
        outputFeatureChannels: H,
        useFloat32Weights: true,
        inputWeights: {neuron: TANH},
        bidirectionalCombineMode: mode,
        returnSequences: true,
        returnState: true,
      });
      const [sequence, ...finals] = layer.apply([input, lengthsInput]) as tfl.SymbolicTensor[];
      const model = tfl.model({inputs: [input, lengthsInput], outputs: [sequence, ...finals]});
      if (mode == null) {
        layer.setWeights([
          tf.tensor2d(forward.w, [H, I]),
          tf.tensor2d(forward.u, [H, H]),
          tf.tensor1d(forward.bias),
        ]);
      } else {
        setWeights(layer, forward, backward);
      }
      const units = mode == null ? H : 2 * H;
      const run = (xs: Float32Array, batch: number, time: number, rowLengths: number[]) =>
        dataOf(model.predict([tf.tensor3d(xs, [batch, time, I]), tf.tensor1d(rowLengths, 'int32')]));
      const [batchSequence, ...batchFinals] = await run(x, B, T, lengths);
      for (let n = 0; n < B; n++) {
        const L = lengths[n];
        const row = x.slice(n * T * I, (n * T + L) * I);
        const [rowSequence, ...rowFinals] = await run(row, 1, L, [L]);
        const inBatch = batchSequence.slice(n * T * units, (n * T + L) * units);
        expectArraysClose(inBatch, rowSequence, tolerance, {what: `row ${n}'s sequence`});
        const pastEnd = batchSequence.slice((n * T + L) * units, (n + 1) * T * units);
        expect(Array.from(pastEnd)).to.deep.equal(new Array<number>((T - L) * units).fill(0));
        batchFinals.forEach((state, k) =>
          expectArraysClose(state.slice(n * H, (n + 1) * H), rowFinals[k], tolerance, {
            what: `row ${n}'s state ${k}`,
          }),
        );
      }
      const f = referenceDirection(forward, false, x, B, null, lengths);
      const expected =
        mode == null
          ? [f.output, f.finalState]
          : (() => {
              const b = referenceDirection(backward, true, x, B, null, lengths);
              return [
                referenceCombine('concatenate', f.output, b.output, B * T, 1, H, H),
                f.finalState,
                b.finalState,
              ];
            })();
      [batchSequence, ...batchFinals].forEach((values, k) =>
        expectArraysClose(values, expected[k], tolerance, {what: `reference output ${k}`}),
      );
    });
  }

  it('round-trips through model.save and tf.loadLayersModel exactly', async () => {
    const model = tfl.sequential({
      layers: [bidirectionalLayer('ave', {returnSequences: true, inputShape: [T, I]})],
    });
    setWeights(model.layers[0] as SingleGateRNNLayer, forward, backward);
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler((artifacts) => {
        saved = artifacts;
        return Promise.resolve({modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}});
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.layers[0].getConfig()).to.deep.equal(model.layers[0].getConfig());
    expect(loaded.layers[0].getConfig()['bidirectionalCombineMode']).to.equal('ave');
    expect(loaded.layers[0].weights.map((w) => w.originalName.split('/').pop())).to.deep.equal([
      'inputWeights',
      'recurrentWeights',
      'biasTerms',
      'backwardInputWeights',
      'backwardRecurrentWeights',
      'backwardBiasTerms',
    ]);
    const input = tf.tensor3d(x, [B, T, I]);
    const [y0, y1] = await dataOf([model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor]);
    expect(Array.from(y1)).to.deep.equal(Array.from(y0));
  });

  it('trains both directions: a training call gives what predict gives, and gradients for all six variables', async () => {
    const layer = bidirectionalLayer('concatenate', {returnSequences: true});
    setWeights(layer, forward, backward);
    const input = tf.tensor3d(x, [B, T, I]);
    const predicted = layer.apply(input) as tf.Tensor;
    const trained = layer.apply(input, {training: true}) as tf.Tensor;
    expectArraysClose(await trained.data(), await predicted.data(), tolerance, {what: 'training call'});
    const {grads} = tf.variableGrads(() =>
      tf.sum<tf.Scalar>(layer.apply(input, {training: true}) as tf.Tensor),
    );
    expect(Object.keys(grads)).to.have.members(layer.weights.map((w) => (w.read() as tf.Variable).name));
    for (const grad of Object.values(grads))
      expect((await tf.max(tf.abs(grad)).data())[0]).to.be.greaterThan(0);
  });
});

describe('SingleGateRNN layer, bidirectional, against tf.layers.bidirectional(tf.layers.simpleRNN) on cpu', () => {
  const random = new Random(82);
  const x = random.floats(B * T * I);
  const [forward, backward] = [randomWeights(random), randomWeights(random)];
  const tolerance = toleranceFor('cpu');
  before(() => useBackend('cpu'));
  beforeEach(() => tf.engine().startScope());
  afterEach(() => tf.engine().endScope());

  for (const mode of MODES) {
    for (const returnSequences of [true, false]) {
      it(`'${mode}' (mergeMode ${String(TFJS_MERGE_MODE[mode])}), ${returnSequences ? 'sequences' : 'final states'}, returnState`, async () => {
        const input = tfl.input({shape: [T, I]});
        const ours = bidirectionalLayer(mode, {returnSequences, returnState: true});
        const stock = tfl.layers.bidirectional({
          layer: tfl.layers.simpleRNN({units: H, activation: 'tanh', returnSequences, returnState: true}),
          mergeMode: TFJS_MERGE_MODE[mode] ?? undefined,
        });
        // tfjs' Bidirectional takes undefined as its default, 'concat': null must be set after.
        if (mode === 'none') stock.mergeMode = null as unknown as typeof stock.mergeMode;
        const oursModel = tfl.model({inputs: input, outputs: ours.apply(input) as tfl.SymbolicTensor[]});
        const stockModel = tfl.model({inputs: input, outputs: stock.apply(input) as tfl.SymbolicTensor[]});
        setWeights(ours, forward, backward);
        // Keras' kernel and recurrent kernel are the transposes of W and U.
        const keras = ({w, u, bias}: DirectionWeights) => [
          tf.transpose(tf.tensor2d(w, [H, I])),
          tf.transpose(tf.tensor2d(u, [H, H])),
          tf.tensor1d(bias),
        ];
        stock.setWeights([...keras(forward), ...keras(backward)]);
        const xs = tf.tensor3d(x, [B, T, I]);
        const got = await dataOf(oursModel.predict(xs));
        const expected = await dataOf(stockModel.predict(xs));
        expect(oursModel.outputs.map((o) => o.shape)).to.deep.equal(stockModel.outputs.map((o) => o.shape));
        expect(got).to.have.lengthOf(expected.length);
        got.forEach((values, k) => expectArraysClose(values, expected[k], tolerance, {what: `output ${k}`}));
      });
    }
  }

  it('tf.layers.bidirectional around the layer fails, pointing to bidirectionalCombineMode', () => {
    const message = messageOf(() =>
      tfl.layers.bidirectional({
        layer: singleGateRNNLayer({outputFeatureChannels: H}) as unknown as WrappedRNN,
      }),
    );
    expect(message).to.match(/tf\.layers\.bidirectional cannot wrap it/);
    expect(message).to.match(/bidirectionalCombineMode instead \('concatenate' for mergeMode 'concat'/);
  });

  it('refuses a bad mode, a backward bidirectional layer and the wrong number of initial states', () => {
    expect(messageOf(() => bidirectionalLayer('concat' as LayerCombineMode, {name: 'bi'}))).to.equal(
      "SingleGateRNN layer 'bi': bidirectionalCombineMode must be 'none', 'add', 'concatenate', 'mul', 'ave' " +
        `or null (one direction), got "concat" (tfjs' mergeMode "concat" is 'concatenate' here)`,
    );
    expect(
      messageOf(() => bidirectionalLayer('add', {name: 'bi', layerSequenceDirection: 'backward'})),
    ).to.equal(
      "SingleGateRNN layer 'bi': a bidirectional layer (bidirectionalCombineMode add) runs both directions: " +
        "layerSequenceDirection must be 'forward', got 'backward'",
    );
    const layer = bidirectionalLayer('add', {name: 'bi'});
    expect(messageOf(() => layer.apply([tf.zeros([B, T, I]), tf.zeros([B, H])]))).to.equal(
      "SingleGateRNN layer 'bi' takes x, [x, forwardInitialState, backwardInitialState], each optionally " +
        'followed by int32 sequenceLengths ([batch] or [batch, 1]); got 1 initial state among 2 inputs',
    );
  });
});
