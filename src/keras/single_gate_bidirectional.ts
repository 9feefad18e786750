/**
 * `SingleGateBidirectional`: tfjs' Bidirectional wrapper with both SimpleRNN directions run by one
 * `singleGateRNNBidirectional` call (one op over both directions, which a backend may run
 * concurrently) instead of one call per direction.
 *
 * It subclasses the stock wrapper and keeps its `className` ('Bidirectional'), so config, weights,
 * building, masks and serialization are the stock wrapper's; only `call` differs, and only for
 * inference with two `SingleGateSimpleRNN` directions that are not stateful. Each direction's outputs
 * are then made exactly as that layer's own call makes them, and merged as the stock wrapper merges.
 */
import {add, concat, mul, reverse, serialization, Tensor, tidy} from '@tensorflow/tfjs-core';
import {layers, RNN} from '@tensorflow/tfjs-layers';

import {singleGateRNNBidirectional} from '../matrix/single_gate_rnn_bidirectional.js';
import {SingleGateSimpleRNN} from './single_gate_simple_rnn.js';

type StockBidirectional = ReturnType<typeof layers.bidirectional>;
type Kwargs = Parameters<StockBidirectional['call']>[1];
type StockBidirectionalClass = (new (
  args: Parameters<typeof layers.bidirectional>[0],
) => StockBidirectional) &
  Pick<typeof RNN, 'className' | 'fromConfig'>;

/** What `call` reads from the stock wrapper, whose fields tfjs-layers types as private. */
interface BidirectionalView {
  forwardLayer: unknown;
  backwardLayer: unknown;
  returnSequences: boolean;
  returnState: boolean;
}

/**
 * The stock class, which tfjs-layers does not export by name: the 'Bidirectional' entry of its
 * deserialization map, or, when that has since been replaced by a subclass (ours, see register.ts),
 * the class in its chain that declares the name itself and whose parent does not.
 */
function stockBidirectionalClass(): StockBidirectionalClass {
  const entry = serialization.SerializationMap.getMap().classNameMap['Bidirectional'];
  let cls: unknown = entry?.[0];
  const declaresName = (c: unknown) =>
    typeof c === 'function' &&
    Object.prototype.hasOwnProperty.call(c, 'className') &&
    (c as unknown as {className: string}).className === 'Bidirectional';
  while (declaresName(Object.getPrototypeOf(cls))) cls = Object.getPrototypeOf(cls);
  if (!declaresName(cls)) {
    throw new Error(
      'tfjs-layers has no Bidirectional class registered for deserialization; import @tensorflow/tfjs-layers ' +
        'before tfjs-single-gate-rnn',
    );
  }
  return cls as StockBidirectionalClass;
}
const StockBidirectionalClass = stockBidirectionalClass();

export class SingleGateBidirectional extends StockBidirectionalClass {
  /** Same name as the stock wrapper: configs and saved models stay interchangeable. */
  static override className = 'Bidirectional';

  private view(): BidirectionalView {
    return this as unknown as BidirectionalView;
  }

  override call(inputs: Tensor | Tensor[], kwargs: Kwargs): Tensor | Tensor[] {
    const {forwardLayer: forward, backwardLayer: backward, returnSequences, returnState} = this.view();
    if (
      !(forward instanceof SingleGateSimpleRNN && backward instanceof SingleGateSimpleRNN) ||
      forward.stateful ||
      kwargs?.['training'] === true
    ) {
      return super.call(inputs, kwargs);
    }
    return tidy(() => {
      // As the stock wrapper: the first half of the initial states is the forward layer's.
      const initialState = kwargs['initialState'] as Tensor[] | null | undefined;
      const half = (initialState?.length ?? 0) / 2;
      const kwargsOf = (states: Tensor[] | undefined) =>
        states == null ? kwargs : {...kwargs, initialState: states};
      const f = forward.prepareCall(inputs, kwargsOf(initialState?.slice(0, half)));
      const b = backward.prepareCall(inputs, kwargsOf(initialState?.slice(half)));
      const result = singleGateRNNBidirectional(f.x, [f.descriptor, b.descriptor], {
        initialStates: {forward: [f.initialState ?? null], backward: [b.initialState ?? null]},
        mask: f.mask,
      });
      let y = forward.kerasOutputs(result.outputForward, result.finalStates.forward[0], f.mask);
      let yRev = backward.kerasOutputs(result.outputBackward, result.finalStates.backward[0], b.mask);
      // From here on, as the stock wrapper merges its two layers' outputs.
      let states: Tensor[] = [];
      if (returnState) {
        const [yList, yRevList] = [y as Tensor[], yRev as Tensor[]];
        states = [...yList.slice(1), ...yRevList.slice(1)];
        [y, yRev] = [yList[0], yRevList[0]];
      }
      const [yOut, yRevOut] = [y as Tensor, returnSequences ? reverse(yRev as Tensor, 1) : (yRev as Tensor)];
      const merged = mergeOutputs(this.mergeMode, yOut, yRevOut);
      return returnState ? [...merged, ...states] : merged.length === 1 ? merged[0] : merged;
    });
  }
}

/** tfjs' merge modes, computed as the stock wrapper computes them. */
function mergeOutputs(mode: StockBidirectional['mergeMode'], y: Tensor, yRev: Tensor): Tensor[] {
  switch (mode) {
    case 'concat':
      return [concat([y, yRev], -1)];
    case 'sum':
      return [add(y, yRev)];
    case 'ave':
      return [mul(0.5, add(y, yRev))];
    case 'mul':
      return [mul(y, yRev)];
    default:
      return [y, yRev];
  }
}
