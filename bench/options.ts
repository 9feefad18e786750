/**
 * The benchmark's options as both runners read them from the environment (see bench/node.ts).
 */
import type {BenchOptions} from './run.js';

export type EnvOptions = Pick<BenchOptions, 'shapes' | 'runs' | 'flags'>;

export function optionsFromEnv(env: NodeJS.ProcessEnv): EnvOptions {
  return {
    shapes: env.SHAPES ? (JSON.parse(env.SHAPES) as BenchOptions['shapes']) : undefined,
    runs: env.RUNS ? Number(env.RUNS) : undefined,
    flags: env.TFJS_FLAGS ? (JSON.parse(env.TFJS_FLAGS) as BenchOptions['flags']) : undefined,
  };
}
