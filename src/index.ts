/**
 * A fused, MPS-exact `tf.layers.simpleRNN` and its image variant for TensorFlow.js: the ops, the
 * layers and the Keras model loader.
 *
 * Importing the package registers the `SingleGateRNN` kernels (cpu, and webgpu, webgl or wasm when
 * that backend is used), its gradient guard and the layer class for serialization, and tfjs-core's
 * chained tensor methods, which tfjs-layers needs (see chained_ops.ts).
 *
 * @module tfjs-single-gate-rnn
 */
import './chained_ops.js';
import './gradient.js';
import '../kernels/cpu/register.js';
import '../kernels/webgpu/register.js';
import '../kernels/wasm/register.js';
import '../kernels/webgl/register.js';

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
export {CPU_REFERENCE_FLAG} from '../kernels/cpu/register.js';
export type {SingleGateRNNAttrs, SingleGateRNNInputs} from './kernel_names.js';
export {SingleGateRNNBidirectional as SingleGateRNNBidirectionalKernelName} from './bidirectional_kernel_names.js';
export type {
  DirectionInputs,
  SingleGateRNNBidirectionalAttrs,
  SingleGateRNNBidirectionalInputs,
} from './bidirectional_kernel_names.js';
export {NEURON_DEFAULTS} from './neuron.js';
export {singleGateRNN} from './single_gate_rnn.js';
export type {SingleGateRNNOp, SingleGateRNNOptions, SingleGateRNNResult} from './single_gate_rnn.js';
export type {
  SingleGateRNNStackOptions,
  SingleGateRNNStackResult,
  SingleGateRNNStackStepResult,
  SingleGateRNNStepResult,
  StateLike,
} from './stack.js';
export type {SequenceLengths} from './sequence_lengths.js';
export {singleGateRNNBidirectional} from './bidirectional.js';
export type {
  BidirectionalCombineMode,
  BidirectionalStates,
  PerDirection,
  SingleGateRNNBidirectionalCombinedResult,
  SingleGateRNNBidirectionalOp,
  SingleGateRNNBidirectionalOptions,
  SingleGateRNNBidirectionalResult,
} from './bidirectional.js';
// The image variant (MPSRNNImageInferenceLayer): convolutions instead of matrix products.
export type {
  ConvRNNPadding,
  ConvWeightsLike,
  ConvWeightsSource,
  SingleGateConvRNNDescriptor,
} from './conv_descriptor.js';
export {SingleGateConvRNN as SingleGateConvRNNKernelName, leadingPad} from './conv_kernel_names.js';
export type {SingleGateConvRNNAttrs, SingleGateConvRNNInputs} from './conv_kernel_names.js';
export {singleGateConvRNN} from './conv_single_gate_rnn.js';
export type {
  ConvStateLike,
  SingleGateConvRNNOp,
  SingleGateConvRNNOptions,
  SingleGateConvRNNResult,
  SingleGateConvRNNStackOptions,
  SingleGateConvRNNStackResult,
} from './conv_single_gate_rnn.js';
export {singleGateConvRNNBidirectional} from './conv_bidirectional.js';
export type {
  ConvBidirectionalStates,
  SingleGateConvRNNBidirectionalCombinedResult,
  SingleGateConvRNNBidirectionalOp,
  SingleGateConvRNNBidirectionalOptions,
  SingleGateConvRNNBidirectionalResult,
} from './conv_bidirectional.js';
export {kerasConvKernelToOHWI, ohwiToKerasConvKernel} from './conv_layout.js';
export {SingleGateConvRNN2D, singleGateConvRNN2DLayer} from './layers/conv_single_gate_rnn_layer.js';
export type {KernelSize, SingleGateConvRNN2DLayerArgs} from './layers/conv_single_gate_rnn_layer.js';
export type {InitializerArg, InitializerSpec} from './layers/initializers.js';
export {SingleGateRNNLayer, singleGateRNNLayer} from './layers/single_gate_rnn_layer.js';
export type {
  LayerInputWeightsConfig,
  LayerCombineMode,
  LayerRecurrentWeightsConfig,
  SingleGateRNNLayerArgs,
} from './layers/single_gate_rnn_layer.js';

// Keras models: load converted tf.keras 2.x / Keras 3 models with every SimpleRNN on this op.
export {kerasActivationToNeuron, SUPPORTED_KERAS_ACTIVATIONS} from './keras/activation.js';
export type {ActivationSemantics} from './keras/activation.js';
export {loadKerasModel} from './keras/loader.js';
export type {KerasModelFiles, KerasModelSource, LoadKerasModelOptions} from './keras/loader.js';
export {useSingleGateRNNForSimpleRNN} from './keras/register.js';
export {SingleGateSimpleRNN} from './keras/single_gate_simple_rnn.js';
export {SingleGateBidirectional} from './keras/single_gate_bidirectional.js';
export type {PreparedCall, SingleGateSimpleRNNArgs} from './keras/single_gate_simple_rnn.js';
export {disposeDescriptorWeights, kerasSimpleRNNDescriptor} from './keras/simple_rnn_weights.js';
export type {KerasSimpleRNNDescriptorOptions, KerasSimpleRNNWeights} from './keras/simple_rnn_weights.js';
export {normalizeKerasTopology} from './keras/topology.js';
export type {NormalizedTopology, NormalizeOptions} from './keras/topology.js';

// First-call comfort: compile a model's pipelines before its first real prediction.
export {warmUp} from './warm_up.js';
export type {WarmUpResult} from './warm_up.js';
