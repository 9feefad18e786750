#!/usr/bin/env node
/**
 * The package's command line (package.json "bin"):
 *
 *   npx tfjs-single-gate-rnn inspect <model.json | folder | URL>   what the loader recognises, per layer
 *   npx tfjs-single-gate-rnn bench [webgpu | wasm | cpu]           the fused op against tf.layers.simpleRNN
 */
import {BackendUnavailableError} from './choose_backend.js';
import {benchCommand} from './cli_bench.js';
import {inspectCommand} from './cli_inspect.js';

const USAGE = [
  'usage: tfjs-single-gate-rnn inspect <model.json | model folder | URL>',
  '       tfjs-single-gate-rnn bench [webgpu | wasm | cpu]   (default: the best backend this machine has)',
].join('\n');

async function main(args: string[]): Promise<void> {
  const [command, target] = args;
  if (command === 'inspect') console.log(await inspectCommand(target));
  else if (command === 'bench')
    for (const line of await benchCommand(target ?? process.env.BACKEND)) console.log(line);
  else if (command == null || command === '--help' || command === '-h') console.log(USAGE);
  else throw new UsageError(`unknown command '${command}'\n${USAGE}`);
}

/** A mistake in the command line: said in a line, without a stack. */
class UsageError extends Error {}

main(process.argv.slice(2)).catch((e: unknown) => {
  const known = e instanceof UsageError || e instanceof BackendUnavailableError;
  console.error(known || e instanceof Error ? `tfjs-single-gate-rnn: ${e.message}` : e);
  process.exitCode = 1;
});
