/**
 * tfjs-single-gate-rnn: Apple's MPS single-gate RNN layer for TensorFlow.js.
 *
 * Importing the package registers the `SingleGateRNN` kernels (cpu, and webgpu when that backend is
 * used), its gradient guard and the layer class for serialization.
 */
import './gradient.js';
import '../kernels/cpu/register.js';
import '../kernels/webgpu/register.js';

export type {
  BiasLike,
  NeuronDescriptor,
  NeuronType,
  SequenceDirection,
  SingleGateRNNDescriptor,
  WeightsLike,
  WeightsSource,
} from './descriptor.js';
export {NEURON_TYPES} from './descriptor.js';
export {SingleGateRNN as SingleGateRNNKernelName} from './kernel_names.js';
export type {SingleGateRNNAttrs, SingleGateRNNInputs} from './kernel_names.js';
export {NEURON_DEFAULTS} from './neuron.js';
export {singleGateRNN} from './single_gate_rnn.js';
export type {SingleGateRNNOptions, SingleGateRNNResult} from './single_gate_rnn.js';
