/**
 * What a load without `strict` leaves out, said once and kept on the model: a model that runs on
 * weights it did not load must never look like success.
 */
import type {LayersModel} from '@tensorflow/tfjs-layers';

import {formatShape} from '../checks/arguments.js';
import type {WeightPlan} from './weights_loader.js';

/** A model returned by `loadKerasModel`. */
export type KerasLoadedModel = LayersModel & {
  /**
   * What the load left out, as warned on the console: empty after a load that filled every
   * variable (always so with `strict`, the default).
   */
  readonly loadWarnings: readonly string[];
};

function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

/**
 * The warning for `plan`, or null when nothing was left out. Word for word (specified in the specs):
 * "loadKerasModel (strict: false): N variable(s) kept their initial values, as no manifest weight
 * fills them: 'a' [2, 3], ...; M manifest weight(s) matched no variable and were not loaded: 'b', ..."
 * with either clause absent when it has nothing to list.
 */
export function weightWarning(plan: WeightPlan): string | null {
  const clauses: string[] = [];
  const unfilled = plan.unfilledVariables;
  if (unfilled.length > 0) {
    const listed = unfilled.map((n) => `'${n}' ${formatShape(plan.variables.get(n)!.shape)}`).join(', ');
    clauses.push(
      `${unfilled.length} ${unfilled.length === 1 ? 'variable kept its initial value' : 'variables kept their initial values'}, ` +
        `as no manifest weight fills ${unfilled.length === 1 ? 'it' : 'them'}: ${listed}`,
    );
  }
  const unused = plan.unusedWeights;
  if (unused.length > 0) {
    clauses.push(
      `${unused.length} manifest ${unused.length === 1 ? 'weight matched no variable and was' : 'weights matched no variable and were'} ` +
        `not loaded: ${quoted(unused)}`,
    );
  }
  return clauses.length === 0 ? null : `loadKerasModel (strict: false): ${clauses.join('; ')}`;
}

/** Warns (once, on the console) and records the warnings on the model. */
export function withLoadWarnings(model: LayersModel, plan: WeightPlan): KerasLoadedModel {
  const warning = weightWarning(plan);
  const warnings = warning == null ? [] : [warning];
  if (warning != null) console.warn(warning);
  Object.defineProperty(model, 'loadWarnings', {value: Object.freeze(warnings), enumerable: false});
  return model as KerasLoadedModel;
}
