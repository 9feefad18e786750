/**
 * Whether the wasm kernel plans a case's call on threads: kernels/wasm/threaded_recurrence.ts'
 * threadPlan on the sizes the kernel derives from the case. For runners that bundle the kernels from
 * source (test/node/wasm_threads.ts, test/page/wasm_threads_page.ts).
 */
import {threadPlan} from '../../kernels/wasm/threaded_recurrence.js';
import {NEURON_CODES} from '../../kernels/wasm/recurrence_binary.js';
import type {ProblemConfig} from './problem.js';

export function plannedOnThreads(config: ProblemConfig): boolean {
  const unit = config.unitTransform ?? false;
  const projected = !unit && config.inputWeights !== 'null';
  const neuronCoded = NEURON_CODES[config.neuron.type] != null;
  const uk = config.recurrentWeights === false ? 0 : config.outputChannels;
  const cols = Math.ceil(config.outputChannels / 4) * 4;
  const work = {rows: projected ? config.batch * config.time : 0, inChannels: config.inputChannels};
  return threadPlan({...work, batch: config.batch, uk, cols}, neuronCoded) != null;
}
