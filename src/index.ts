/**
 * A fused, MPS-exact `tf.layers.simpleRNN` and its image variant for TensorFlow.js: the ops, the
 * layers and the Keras model loader.
 *
 * Importing the package registers the `SingleGateRNN` kernels (cpu, and webgpu, webgl or wasm when
 * that backend is used), its gradient guard and the layer class for serialization, and tfjs-core's
 * chained tensor methods, which tfjs-layers needs (see chained_ops.ts).
 *
 * What is public: the four ops and the OHWI layout helpers, the two layers, the Keras loader and its
 * SimpleRNN replacements, `warmUp`, the wasm kernel's `setWasmThreads` and `getWasmThreads`, and the
 * types of their descriptors, options and results. The Node entry is `tfjs-single-gate-rnn/node`.
 * Kernel contracts, checks and the sequence engine are internal: tests reach them through their own
 * paths. This is the only file that imports kernels/ registration.
 *
 * @module tfjs-single-gate-rnn
 */
import './chained_ops.js';
import './contracts/no_gradient.js';
import '../kernels/cpu/register.js';
import '../kernels/webgpu/register.js';
import '../kernels/wasm/register.js';
import '../kernels/webgl/register.js';

// The ops' descriptors.
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
export type {
  ConvRNNPadding,
  ConvWeightsLike,
  ConvWeightsSource,
  SingleGateConvRNNDescriptor,
} from './contracts/image_descriptor.js';
export type {SequenceLengths} from './sequence/lengths.js';
// The result shapes both variants share; each op names its instances below.
export type {BidirectionalOptions} from './sequence/bidirectional.js';
export type {
  BidirectionalCombinedResultOf,
  BidirectionalOpOf,
  BidirectionalResultOf,
  BidirectionalStatesOf,
  StackResultOf,
} from './sequence/result_types.js';

// The matrix op (MPSRNNSingleGateDescriptor): one layer, a stack or one step; both directions.
export {singleGateRNN} from './matrix/single_gate_rnn.js';
export type {SingleGateRNNOp} from './matrix/single_gate_rnn.js';
// Its options and results (every type of options.ts; the one internal type there is marked so).
export type * from './matrix/options.js';
export {singleGateRNNBidirectional} from './matrix/single_gate_rnn_bidirectional.js';
export type {
  BidirectionalStates,
  SingleGateRNNBidirectionalCombinedResult,
  SingleGateRNNBidirectionalOp,
  SingleGateRNNBidirectionalOptions,
  SingleGateRNNBidirectionalResult,
} from './sequence/bidirectional_types.js';
export type {BidirectionalCombineMode, PerDirection} from './sequence/bidirectional.js';

// The image op (MPSRNNImageInferenceLayer): convolutions instead of matrix products.
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
} from './sequence/bidirectional_types.js';
export {kerasConvKernelToOHWI, ohwiToKerasConvKernel} from './image/keras_kernel_layout.js';

// The layers.
export {SingleGateRNNLayer, singleGateRNNLayer} from './layers/single_gate_rnn_layer.js';
export type {
  LayerCombineMode,
  LayerInputWeightsConfig,
  LayerRecurrentWeightsConfig,
  SingleGateRNNLayerArgs,
} from './layers/single_gate_rnn_layer.js';
export {SingleGateConvRNN2D, singleGateConvRNN2DLayer} from './layers/conv_single_gate_rnn_layer.js';
export type {KernelSize, SingleGateConvRNN2DLayerArgs} from './layers/conv_single_gate_rnn_layer.js';
export type {InitializerArg, InitializerSpec} from './layers/initializers.js';

// Keras models: load converted tf.keras 2.x / Keras 3 models with every SimpleRNN on this op.
export {loadKerasModel} from './keras/loader.js';
export type {KerasModelFiles, KerasModelSource, LoadKerasModelOptions} from './keras/loader.js';
export type {KerasLoadedModel} from './keras/load_warnings.js';
export {formatKerasModelReport, inspectKerasModel} from './keras/inspect.js';
export type {KerasModelReport} from './keras/inspect.js';
export {useSingleGateRNNForSimpleRNN} from './keras/register.js';
export {SingleGateSimpleRNN} from './keras/single_gate_simple_rnn.js';
export type {PreparedCall, SingleGateSimpleRNNArgs} from './keras/single_gate_simple_rnn.js';
export {SingleGateBidirectional} from './keras/single_gate_bidirectional.js';
export {disposeDescriptorWeights, kerasSimpleRNNDescriptor} from './keras/simple_rnn_weights.js';
export type {KerasSimpleRNNDescriptorOptions, KerasSimpleRNNWeights} from './keras/simple_rnn_weights.js';
export {kerasActivationToNeuron, SUPPORTED_KERAS_ACTIVATIONS} from './keras/activation.js';
export type {ActivationSemantics} from './keras/activation.js';
export {normalizeKerasTopology} from './keras/topology.js';
export type {NormalizedTopology, NormalizeOptions} from './keras/topology.js';

// First-call comfort: compile a model's pipelines before its first real prediction.
export {warmUp} from './warm_up.js';
export type {WarmUpResult} from './warm_up.js';

// Threads for the wasm backend's kernel, where SharedArrayBuffer is available.
export {getWasmThreads, setWasmThreads} from '../kernels/wasm/thread_pool.js';
