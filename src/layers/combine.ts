/**
 * The layer's bidirectional merge: MPS' combine modes ('none', 'add', 'concatenate'), which the op does
 * itself, plus tfjs' 'mul' and 'ave', which the layer computes from the two outputs.
 */
import {add, concat, mul, Tensor} from '@tensorflow/tfjs-core';

import {formatValue} from '../checks/arguments.js';

/**
 * How a bidirectional layer merges its directions. tfjs' `mergeMode` names: null → 'none', 'sum' →
 * 'add', 'concat' → 'concatenate', 'mul' and 'ave' as they are.
 */
export type LayerCombineMode = 'none' | 'add' | 'concatenate' | 'mul' | 'ave';

export const LAYER_COMBINE_MODES: readonly LayerCombineMode[] = ['none', 'add', 'concatenate', 'mul', 'ave'];

/** tfjs' `mergeMode` names, to point from a tfjs spelling to ours. */
const TFJS_NAMES: Record<string, LayerCombineMode> = {sum: 'add', concat: 'concatenate', null: 'none'};

/** The mode checked: null or undefined for a one-direction layer. */
export function checkCombineMode(value: unknown, argName: string): LayerCombineMode | null {
  if (value == null) return null;
  if ((LAYER_COMBINE_MODES as readonly unknown[]).includes(value)) return value as LayerCombineMode;
  const ours = typeof value === 'string' ? TFJS_NAMES[value] : undefined;
  const hint = ours ? ` (tfjs' mergeMode ${formatValue(value)} is '${ours}' here)` : '';
  throw new Error(
    `${argName} must be ${LAYER_COMBINE_MODES.map((m) => `'${m}'`).join(', ')} or null (one direction), ` +
      `got ${formatValue(value)}${hint}`,
  );
}

/** The merged output; 'none' gives both, forward first. Channels are the last axis. */
export function combineDirections(mode: LayerCombineMode, forward: Tensor, backward: Tensor): Tensor[] {
  switch (mode) {
    case 'none':
      return [forward, backward];
    case 'add':
      return [add(forward, backward)];
    case 'concatenate':
      return [concat([forward, backward], -1)];
    case 'mul':
      return [mul(forward, backward)];
    case 'ave':
      return [mul(add(forward, backward), 0.5)];
  }
}
