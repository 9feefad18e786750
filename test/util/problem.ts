/**
 * One test case described once, then handed both to the op (as a descriptor of tensors) and to the
 * float64 reference (as plain arrays).
 */
import * as tf from '@tensorflow/tfjs-core';

import {NeuronDescriptor, singleGateRNN, SingleGateRNNDescriptor} from 'tfjs-single-gate-rnn';
import {
  referenceSingleGateRNN,
  ReferenceNeuron,
  ReferenceResult,
} from '../reference/single_gate_rnn_reference.js';
import {Random} from './random.js';

export interface ProblemConfig {
  batch: number;
  time: number;
  inputChannels: number;
  outputChannels: number;
  /** The neuron with every parameter spelled out, as the reference needs it. */
  neuron: ReferenceNeuron;
  /** What the op is given for the neuron; by default `neuron` itself. */
  opNeuron?: NeuronDescriptor;
  /** 'bias': W and b; 'noBias': W only; 'null': no input weights source. */
  inputWeights?: 'bias' | 'noBias' | 'null';
  recurrentWeights?: boolean;
  unitTransform?: boolean;
  float32Weights?: boolean;
  backward?: boolean;
  initialState?: boolean;
  /** 'random': about a third of the steps masked; 'lengths': each sequence ends early, MPS style. */
  mask?: 'random' | 'lengths';
  /** Scales W and U; keeps pre-activations moderate for unbounded neurons. Default 1. */
  weightScale?: number;
  seed?: number;
}

export interface Problem {
  config: ProblemConfig;
  x: Float32Array;
  w: Float32Array | null;
  u: Float32Array | null;
  bias: Float32Array | null;
  initialState: Float32Array | null;
  /** [batch * time] of 0/1, or null. */
  mask: Float32Array | null;
}

export function makeProblem(config: ProblemConfig): Problem {
  const random = new Random(config.seed ?? 1);
  const {batch, time, inputChannels: I, outputChannels: H} = config;
  const scale = config.weightScale ?? 1;
  const inputWeights = config.inputWeights ?? 'bias';
  const weights = (count: number, fanIn: number): Float32Array =>
    random.floats(count, -scale / Math.sqrt(fanIn), scale / Math.sqrt(fanIn));
  return {
    config,
    x: random.floats(batch * time * I),
    w: inputWeights !== 'null' ? weights(H * I, I) : null,
    u: config.recurrentWeights !== false ? weights(H * H, H) : null,
    bias: inputWeights === 'bias' ? random.floats(H, -0.5, 0.5) : null,
    initialState: config.initialState ? random.floats(batch * H) : null,
    mask: config.mask == null ? null : makeMask(random, batch, time, config.mask),
  };
}

function makeMask(random: Random, batch: number, time: number, kind: 'random' | 'lengths'): Float32Array {
  const mask = new Float32Array(batch * time);
  for (let n = 0; n < batch; n++) {
    // Row 0 of a 'lengths' mask is fully masked: nothing consumed, the initial state throughout.
    const length = n === 0 ? 0 : random.int(1, time);
    for (let t = 0; t < time; t++) {
      mask[n * time + t] = kind === 'random' ? (random.next() < 0.35 ? 0 : 1) : t < length ? 1 : 0;
    }
  }
  return mask;
}

/** The descriptor for `problem`, its weights as new tensors (dispose them, or build inside tidy). */
export function descriptorOf(problem: Problem): SingleGateRNNDescriptor {
  const c = problem.config;
  const [I, H] = [c.inputChannels, c.outputChannels];
  return {
    inputFeatureChannels: I,
    outputFeatureChannels: H,
    useLayerInputUnitTransformMode: c.unitTransform ?? false,
    useFloat32Weights: c.float32Weights ?? false,
    layerSequenceDirection: c.backward ? 'backward' : 'forward',
    inputWeights:
      problem.w == null
        ? null
        : {
            weights: tf.tensor2d(problem.w, [H, I]),
            biasTerms: problem.bias && tf.tensor1d(problem.bias),
            neuron: (c.opNeuron ?? c.neuron) as NeuronDescriptor,
          },
    recurrentWeights: problem.u == null ? null : {weights: tf.tensor2d(problem.u, [H, H])},
  };
}

export interface OpRun {
  output: Float32Array;
  finalState: Float32Array;
  intermediateStates: Float32Array;
  outputShape: number[];
  finalStateShape: number[];
}

/** Runs the op on the active backend and reads everything back, leaving no tensor behind. */
export async function runOp(problem: Problem): Promise<OpRun> {
  const c = problem.config;
  const result = tf.tidy(() =>
    singleGateRNN(tf.tensor3d(problem.x, [c.batch, c.time, c.inputChannels]), descriptorOf(problem), {
      initialState: problem.initialState && tf.tensor2d(problem.initialState, [c.batch, c.outputChannels]),
      mask: problem.mask && tf.tensor2d(problem.mask, [c.batch, c.time], 'bool'),
      storeAllIntermediateStates: true,
    }),
  );
  try {
    return {
      output: (await result.output.data()) as Float32Array,
      finalState: (await result.finalState.data()) as Float32Array,
      intermediateStates: (await result.intermediateStates!.data()) as Float32Array,
      outputShape: result.output.shape,
      finalStateShape: result.finalState.shape,
    };
  } finally {
    tf.dispose([result.output, result.finalState, result.intermediateStates!]);
  }
}

export function referenceOf(problem: Problem): ReferenceResult {
  const c = problem.config;
  const unit = c.unitTransform ?? false;
  return referenceSingleGateRNN({
    batch: c.batch,
    time: c.time,
    inputChannels: c.inputChannels,
    outputChannels: c.outputChannels,
    x: problem.x,
    // A null input source also means an identity neuron, whatever the case's neuron says.
    w: unit ? null : problem.w,
    u: problem.u,
    bias: problem.w == null ? null : problem.bias,
    initialState: problem.initialState,
    neuron: problem.w == null ? {type: 'none', a: 0, b: 0, c: 0} : c.neuron,
    unitTransform: unit,
    float16Weights: !(c.float32Weights ?? false),
    backward: c.backward ?? false,
    mask: problem.mask,
  });
}
