/**
 * `SingleGateSimpleRNN`: tfjs' SimpleRNN layer with its step loop replaced by one `singleGateRNN` call.
 *
 * It subclasses the stock layer and keeps its `className` ('SimpleRNN'), so config, weight names,
 * building, states, `resetStates` and serialization are exactly the stock layer's, and a model saved
 * with it loads in stock tfjs. Only `call` differs.
 */
import {
  cumsum,
  expandDims,
  greater,
  notEqual,
  ones,
  reverse,
  serialization,
  slice,
  squeeze,
  Tensor,
  Tensor1D,
  Tensor2D,
  Tensor3D,
  tidy,
  where,
  zeros,
} from '@tensorflow/tfjs-core';
import {layers, LayerVariable, RNN, SimpleRNNLayerArgs} from '@tensorflow/tfjs-layers';

import {savedConfigToArgs} from '../checks/config_keys.js';
import type {NeuronDescriptor, SingleGateRNNDescriptor} from '../contracts/descriptor.js';
import {resolveNeuron, ResolvedNeuron} from '../checks/neuron.js';
import {neuronOps} from '../portable/neuron.js';
import {singleGateRNN} from '../matrix/single_gate_rnn.js';
import {selectSteps} from '../sequence/step_selection.js';
import {kerasActivationToNeuron, sameNeuron} from './activation.js';
import {KERAS_USE_FLOAT32_WEIGHTS, kerasSimpleRNNDescriptor} from './simple_rnn_weights.js';

type StockSimpleRNN = ReturnType<typeof layers.simpleRNN>;
type Kwargs = Parameters<StockSimpleRNN['call']>[1];

type StockSimpleRNNClass = (new (args: SimpleRNNLayerArgs) => StockSimpleRNN) &
  Pick<typeof RNN, 'className' | 'fromConfig'>;

/**
 * The stock class, which tfjs-layers does not export by name. tfjs-layers registers it for
 * deserialization under 'SimpleRNN' when it loads; that entry may since have been replaced by a
 * subclass (ours, see register.ts), so the class taken is the one in its chain that extends `RNN`
 * directly. Found without constructing a layer: importing this package builds none.
 */
function stockSimpleRNNClass(): StockSimpleRNNClass {
  const entry = serialization.SerializationMap.getMap().classNameMap['SimpleRNN'];
  let cls: unknown = entry?.[0];
  while (typeof cls === 'function' && Object.getPrototypeOf(cls) !== RNN) cls = Object.getPrototypeOf(cls);
  if (typeof cls !== 'function') {
    throw new Error(
      'tfjs-layers has no SimpleRNN class registered for deserialization; import @tensorflow/tfjs-layers ' +
        'before tfjs-single-gate-rnn',
    );
  }
  return cls as StockSimpleRNNClass;
}
const StockSimpleRNNClass = stockSimpleRNNClass();

/** What `call` reads from the stock SimpleRNNCell, whose class tfjs-layers does not export. */
interface SimpleRNNCellView {
  kernel: LayerVariable;
  recurrentKernel: LayerVariable;
  bias: LayerVariable | null;
  useBias: boolean;
  activation: {apply(x: Tensor): Tensor; getClassName(): string};
}

export interface SingleGateSimpleRNNArgs extends SimpleRNNLayerArgs {
  /**
   * The neuron, when the activation name alone would be read wrongly by tfjs (Keras 3's
   * hard_sigmoid is x/6 + 0.5, tfjs' is 0.2·x + 0.5). The Keras loader sets it; absent, the neuron is
   * derived from `activation` as tfjs defines it.
   */
  neuron?: NeuronDescriptor | null;
  /**
   * Default `KERAS_USE_FLOAT32_WEIGHTS` (true): float32 W and U, so outputs match Keras. false: float16
   * precision (MPS' default).
   */
  useFloat32Weights?: boolean;
  /**
   * Keras' `zero_output_for_mask`: masked steps output zeros instead of the previous output (the state
   * is carried either way). Keras' Bidirectional forces it to `return_sequences`. Default false.
   */
  zeroOutputForMask?: boolean;
}

/** One inference call's operands (see `SingleGateSimpleRNN.prepareCall`). */
export interface PreparedCall {
  x: Tensor3D;
  descriptor: SingleGateRNNDescriptor;
  initialState: Tensor2D | undefined;
  mask: Tensor2D | null;
}

export class SingleGateSimpleRNN extends StockSimpleRNNClass {
  /** Same name as the stock layer: configs and saved models stay interchangeable. */
  static override className = 'SimpleRNN';

  readonly neuron: ResolvedNeuron;
  readonly useFloat32Weights: boolean;
  readonly zeroOutputForMask: boolean;
  /** Whether `neuron` differs from what tfjs reads into `activation` (it then travels in the config). */
  private readonly neuronOverridesActivation: boolean;

  constructor(args: SingleGateSimpleRNNArgs) {
    super(args);
    const cell = this.cellView();
    const fromActivation =
      args.neuron == null ? kerasActivationToNeuron(cell.activation.getClassName(), 'tfjs', this.name) : null;
    this.neuron = resolveNeuron(
      args.neuron ?? fromActivation ?? undefined,
      `SimpleRNN layer '${this.name}' neuron`,
    );
    this.neuronOverridesActivation = fromActivation == null && !this.activationMeans(this.neuron);
    this.useFloat32Weights = args.useFloat32Weights ?? KERAS_USE_FLOAT32_WEIGHTS;
    this.zeroOutputForMask = args.zeroOutputForMask ?? false;
  }

  private cellView(): SimpleRNNCellView {
    return this.cell as unknown as SimpleRNNCellView;
  }

  /** Whether tfjs' reading of the activation name is this neuron. */
  private activationMeans(neuron: NeuronDescriptor): boolean {
    try {
      return sameNeuron(
        kerasActivationToNeuron(this.cellView().activation.getClassName(), 'tfjs', this.name),
        neuron,
      );
    } catch {
      return false;
    }
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    return tidy(() => {
      if (kwargs?.['training'] === true) return this.callStock(inputs, kwargs);
      const {x, descriptor, initialState, mask} = this.prepareCall(inputs, kwargs);
      // A masked step carries the state over; the op repeats it as that step's output.
      const {output, finalState} = singleGateRNN(x, descriptor, {initialState, mask});
      return this.kerasOutputs(output, finalState, mask);
    });
  }

  /**
   * What one inference call runs: x, this layer's descriptor (W and U are new tensors: call inside a
   * tidy), h_{-1} (given, or the stateful state) and x's mask.
   */
  prepareCall(inputs: Tensor | Tensor[], kwargs: Kwargs): PreparedCall {
    // With several inputs (x and initial states) tfjs passes one mask per input; x's comes first.
    const masks = kwargs?.['mask'] as Tensor2D | Tensor2D[] | null | undefined;
    const mask = (Array.isArray(masks) ? masks[0] : masks) ?? null;
    const cell = this.cellView();
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor3D;
    let initialState = kwargs?.['initialState'] as Tensor[] | Tensor | null | undefined;
    if (initialState == null && Array.isArray(inputs) && inputs.length > 1) initialState = inputs.slice(1);
    if (initialState != null && !Array.isArray(initialState)) initialState = [initialState];
    if (initialState != null && initialState.length !== 1) {
      throw new Error(
        `SimpleRNN layer '${this.name}' has 1 state but was passed ${initialState.length} initial states`,
      );
    }
    const h0 = initialState?.[0] ?? (this.stateful ? this.states_?.[0] : undefined) ?? undefined;
    const descriptor = kerasSimpleRNNDescriptor(
      {
        kernel: cell.kernel.read() as Tensor2D,
        recurrentKernel: cell.recurrentKernel.read() as Tensor2D,
        bias: cell.useBias && cell.bias != null ? (cell.bias.read() as Tensor1D) : null,
      },
      {
        neuron: this.neuron,
        useFloat32Weights: this.useFloat32Weights,
        goBackwards: this.goBackwards,
        layerName: this.name,
      },
    );
    return {x, descriptor, initialState: h0 as Tensor2D | undefined, mask};
  }

  /**
   * This layer's outputs, as Keras gives them, from the op's output and final state (for this
   * layer's descriptor); a stateful layer keeps the final state.
   */
  kerasOutputs(output: Tensor3D, finalState: Tensor2D, mask: Tensor2D | null): Tensor | Tensor[] {
    if (this.stateful) this.resetStates([finalState]);
    // Porting note: Keras (and tfjs) give a go_backwards layer's outputs in processing order, so
    // output index t is the state after consuming x_{T-1-t}. The op's backward direction keeps
    // MPS' convention (index t is the state after consuming x_t), hence the reversal.
    let sequence: Tensor = this.goBackwards ? reverse(output, 1) : output;
    if (mask != null) sequence = this.kerasMaskedOutputs(sequence, mask);
    if (!this.returnSequences) {
      // Keras' last output is the last step's output, which with a mask need not be the state.
      const last = sequence.shape[1]! - 1;
      const y = mask != null ? squeeze(slice(sequence, [0, last, 0], [-1, 1, -1]), [1]) : finalState;
      return this.returnState ? [y, finalState] : y;
    }
    return this.returnState ? [sequence, finalState] : sequence;
  }

  /**
   * Keras' outputs at masked steps, from the op's (which repeat the carried state there). Keras starts
   * the repeated output from zeros, not from the initial state, so steps masked before the first
   * consumed one output zeros; with zero_output_for_mask every masked step does. `sequence` and the
   * mask's time axis are in processing order (reversed for go_backwards).
   */
  private kerasMaskedOutputs(sequence: Tensor, mask: Tensor): Tensor {
    // 1 where a step is consumed, as float32 (`where` rather than a cast: the webgpu backend casts bool
    // to float32 by relabelling the data), and reversed only as float32: the wasm backend's Reverse
    // kernel moves four bytes per element whatever the dtype, which overruns a bool tensor's memory.
    const inOrder = where(notEqual(mask, 0), ones(mask.shape), zeros(mask.shape));
    const flags = this.goBackwards ? reverse(inOrder, 1) : inOrder;
    // Porting note: tfjs repeats the initial state before the first consumed step instead.
    const keep = this.zeroOutputForMask ? greater(flags, 0) : greater(cumsum(flags, 1), 0);
    const steps = selectSteps(expandDims(keep, -1), sequence);
    return where(steps.inside, sequence, steps.zeros);
  }

  /**
   * Training runs tfjs' own SimpleRNN (the op is for inference and has no gradient), with the neuron
   * swapped in where tfjs would read the activation name differently (Keras 3's hard_sigmoid).
   */
  private callStock(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    const cell = this.cellView();
    const stockActivation = cell.activation;
    if (this.neuronOverridesActivation) {
      const g = neuronOps(this.neuron);
      cell.activation = {apply: g, getClassName: () => stockActivation.getClassName()};
    }
    try {
      return super.call(inputs, kwargs);
    } finally {
      cell.activation = stockActivation;
    }
  }

  /** The saved config as the constructor takes it (see `savedConfigToArgs`). */
  static override fromConfig<T extends serialization.Serializable>(
    cls: serialization.SerializableConstructor<T>,
    config: serialization.ConfigDict,
  ): T {
    return StockSimpleRNNClass.fromConfig(cls, savedConfigToArgs(config));
  }

  override getConfig() {
    const config = super.getConfig();
    config['useFloat32Weights'] = this.useFloat32Weights;
    config['zeroOutputForMask'] = this.zeroOutputForMask;
    if (this.neuronOverridesActivation) {
      config['neuron'] = {type: this.neuron.type, a: this.neuron.a, b: this.neuron.b, c: this.neuron.c};
    }
    return config;
  }
}
