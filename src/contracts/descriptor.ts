/**
 * The public descriptor types. Field names are those of Apple's `MPSRNNSingleGateDescriptor` and
 * `MPSCNNConvolutionDataSource`, so code and documentation written against MPS read the same here.
 */
import type {Tensor1D, Tensor2D, TensorLike} from '@tensorflow/tfjs-core';

/** Order in which a layer consumes the sequence (`MPSRNNSequenceDirection`). */
export type SequenceDirection = 'forward' | 'backward';

/** The neurons MPS can fuse into a layer (`MPSCNNNeuronType`), PReLU excepted. */
export const NEURON_TYPES = [
  'none',
  'relu',
  'linear',
  'sigmoid',
  'hardSigmoid',
  'tanh',
  'absolute',
  'softplus',
  'softsign',
  'elu',
  'reluN',
  'power',
  'exponential',
  'logarithm',
  'gelu',
] as const;
export type NeuronType = (typeof NEURON_TYPES)[number];

/**
 * The neuron g applied to every output channel: `type` plus its scalar parameters. Parameters left out
 * take the defaults of `NEURON_DEFAULTS` (MPS' usual values).
 */
export interface NeuronDescriptor {
  type: NeuronType;
  a?: number;
  b?: number;
  c?: number;
}

/** A 2-D weight matrix or its data. */
export type WeightsLike = Tensor2D | TensorLike;
/** A bias vector or its data. */
export type BiasLike = Tensor1D | TensorLike;

/**
 * A weights source (MPS' convolution data source, with 1x1 kernels): the weights in OHWI layout, so
 * `[outputChannels, inputChannels]` row-major, optional float32 bias terms, and the neuron. On the
 * recurrent weights only `weights` is read: MPS ignores a bias or neuron there, the op refuses them so
 * that a misplaced one is not lost without a word.
 */
export interface WeightsSource {
  /**
   * `[outputChannels, inputChannels]`. May be null on the input weights in unit-transform mode,
   * where W is never read.
   */
  weights: WeightsLike | null;
  /** `[outputChannels]` float32; absent or null means no bias. */
  biasTerms?: BiasLike | null;
  /** The neuron; absent means `{type: 'none'}`. */
  neuron?: NeuronDescriptor;
}

/** `MPSRNNSingleGateDescriptor`: h_t = g(W x_t + U h_{t-1} + b). */
export interface SingleGateRNNDescriptor {
  /** Channels of x (columns of the input matrix). */
  inputFeatureChannels: number;
  /** Channels of h. */
  outputFeatureChannels: number;
  /** Replace W x by x itself (requires equal input and output channels). Default false. */
  useLayerInputUnitTransformMode?: boolean;
  /** false (the MPS default): W and U are used at float16 precision; true: float32. */
  useFloat32Weights?: boolean;
  /** Default 'forward'. */
  layerSequenceDirection?: SequenceDirection;
  /** W, b and the neuron g. null or absent: W = 0, b = 0, g = identity. */
  inputWeights?: WeightsSource | null;
  /** U. null or absent: U = 0. */
  recurrentWeights?: WeightsSource | null;
}
