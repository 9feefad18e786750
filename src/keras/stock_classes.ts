/**
 * `replaceSimpleRNN: false` builds stock tfjs layers even while `useSingleGateRNNForSimpleRNN()` is
 * in force: the explicit option wins over the global registration, for the span of the build.
 */
import {serialization} from '@tensorflow/tfjs-core';

import {SingleGateBidirectional} from './single_gate_bidirectional.js';
import {SingleGateSimpleRNN} from './single_gate_simple_rnn.js';

type Entry = [
  serialization.SerializableConstructor<serialization.Serializable>,
  serialization.FromConfigMethod<serialization.Serializable>,
];

/**
 * Registers the stock SimpleRNN and Bidirectional (the classes ours extend) under their names where
 * ours are registered; returns what puts ours back.
 */
export function useStockClassesWhileBuilding(): () => void {
  const map = serialization.SerializationMap.getMap().classNameMap as Record<string, Entry>;
  const restores = [SingleGateSimpleRNN, SingleGateBidirectional].map((ours) => {
    const current = map[ours.className];
    if (current?.[0] !== ours) return () => undefined;
    const stock = Object.getPrototypeOf(ours) as Entry[0] & {fromConfig: Entry[1]};
    const entry: Entry = [stock, stock.fromConfig];
    map[ours.className] = entry;
    return () => {
      if (map[ours.className] === entry) map[ours.className] = current;
    };
  });
  return () => restores.forEach((restore) => restore());
}
