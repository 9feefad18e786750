/**
 * When the two directions of a bidirectional call run as one `SingleGateRNNBidirectional` kernel call:
 * the pair must qualify (`runTogether`, what every backend's pair kernel needs) and pay off on the
 * active backend (`pairPays`, a policy each backend's kernel module registers from its measurements).
 */
import type {SingleGateRNNAttrs} from '../contracts/matrix_kernel.js';

/**
 * Whether two layers (forward, backward) can share their recurrence's dispatches: each has U (without
 * it the recurrence is one elementwise dispatch anyway), and everything a recurrence shader or its
 * uniforms bake in is the same (units, weight precision, the neuron and its parameters).
 */
export function runTogether(
  forward: SingleGateRNNAttrs,
  backward: SingleGateRNNAttrs,
  bothHaveRecurrentWeights: boolean,
): boolean {
  const shared: Array<keyof SingleGateRNNAttrs> = [
    'outputFeatureChannels',
    'useFloat32Weights',
    'neuronType',
    'neuronA',
    'neuronB',
    'neuronC',
  ];
  return (
    bothHaveRecurrentWeights &&
    forward.layerSequenceDirection === 'forward' &&
    backward.layerSequenceDirection === 'backward' &&
    shared.every((key) => Object.is(forward[key], backward[key]))
  );
}

/**
 * Whether a pair that `runTogether` accepts is faster in one kernel call than as two, for a backend and
 * the call's shape. A backend's kernel module registers its own; a backend that registers none pairs
 * whenever it has the kernel.
 */
export type PairPolicy = (shape: {batch: number; time: number}, attrs: SingleGateRNNAttrs) => boolean;

const pairPolicies = new Map<string, PairPolicy>();

/** Sets (or, with null, removes) `backendName`'s pair policy; returns the one it replaces. */
export function registerPairPolicy(backendName: string, policy: PairPolicy | null): PairPolicy | null {
  const previous = pairPolicies.get(backendName) ?? null;
  if (policy == null) pairPolicies.delete(backendName);
  else pairPolicies.set(backendName, policy);
  return previous;
}

/** The registered policy's answer for `backendName`, true where it has none. */
export function pairPays(
  backendName: string,
  shape: {batch: number; time: number},
  attrs: SingleGateRNNAttrs,
): boolean {
  return pairPolicies.get(backendName)?.(shape, attrs) ?? true;
}
