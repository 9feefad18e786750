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
import './contracts/no_gradient.js';
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
} from './contracts/descriptor.js';
export {NEURON_TYPES} from './contracts/descriptor.js';
export {SingleGateRNN as SingleGateRNNKernelName} from './contracts/matrix_kernel.js';
export {CPU_REFERENCE_FLAG} from '../kernels/cpu/register.js';
export type {SingleGateRNNAttrs, SingleGateRNNInputs} from './contracts/matrix_kernel.js';
export {SingleGateRNNBidirectional as SingleGateRNNBidirectionalKernelName} from './contracts/pair_kernel.js';
export type {
  DirectionInputs,
  SingleGateRNNBidirectionalAttrs,
  SingleGateRNNBidirectionalInputs,
} from './contracts/pair_kernel.js';
export {NEURON_DEFAULTS} from './checks/neuron.js';
export {singleGateRNN} from './matrix/single_gate_rnn.js';
export type {SingleGateRNNOp} from './matrix/single_gate_rnn.js';
export type {
  SingleGateRNNOptions,
  SingleGateRNNResult,
  SingleGateRNNStackOptions,
  SingleGateRNNStackResult,
  SingleGateRNNStackStepResult,
  SingleGateRNNStepResult,
  StateLike,
} from './matrix/options.js';
export type {SequenceLengths} from './sequence/lengths.js';
export {singleGateRNNBidirectional} from './matrix/single_gate_rnn_bidirectional.js';
export type {BidirectionalCombineMode, PerDirection} from './sequence/bidirectional.js';
export type {
  BidirectionalStates,
  SingleGateRNNBidirectionalCombinedResult,
  SingleGateRNNBidirectionalOp,
  SingleGateRNNBidirectionalOptions,
  SingleGateRNNBidirectionalResult,
} from './matrix/single_gate_rnn_bidirectional.js';
// The image variant (MPSRNNImageInferenceLayer): convolutions instead of matrix products.
export type {
  ConvRNNPadding,
  ConvWeightsLike,
  ConvWeightsSource,
  SingleGateConvRNNDescriptor,
} from './contracts/image_descriptor.js';
export {SingleGateConvRNN as SingleGateConvRNNKernelName, leadingPad} from './contracts/image_kernel.js';
export type {SingleGateConvRNNAttrs, SingleGateConvRNNInputs} from './contracts/image_kernel.js';
export {singleGateConvRNN} from './image/single_gate_conv_rnn.js';
export type {SingleGateConvRNNOp} from './image/single_gate_conv_rnn.js';
export type {
  ConvStateLike,
  SingleGateConvRNNOptions,
  SingleGateConvRNNResult,
  SingleGateConvRNNStackOptions,
  SingleGateConvRNNStackResult,
} from './image/options.js';
export {singleGateConvRNNBidirectional} from './image/single_gate_conv_rnn_bidirectional.js';
export type {
  ConvBidirectionalStates,
  SingleGateConvRNNBidirectionalCombinedResult,
  SingleGateConvRNNBidirectionalOp,
  SingleGateConvRNNBidirectionalOptions,
  SingleGateConvRNNBidirectionalResult,
} from './image/single_gate_conv_rnn_bidirectional.js';
export {kerasConvKernelToOHWI, ohwiToKerasConvKernel} from './image/keras_kernel_layout.js';
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
export type {KerasLoadedModel} from './keras/load_warnings.js';
export {formatKerasModelReport, inspectKerasModel} from './keras/inspect.js';
export type {KerasModelReport} from './keras/inspect.js';
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
