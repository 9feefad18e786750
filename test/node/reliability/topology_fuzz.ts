/**
 * The loader over 1000 seeded random topologies (issue 22's fuzz test): small functional models (Dense
 * and Concatenate layers over one or two inputs), most of them broken on purpose: an input from a
 * layer that does not exist, a cycle, a self-loop, a node or tensor index out of range, deep nesting,
 * a field of the wrong type, a missing field. Each load must end within `BOUND_MS` with a model or a
 * clear error (an Error with a message, none of JavaScript's own "cannot read properties" or stack
 * overflow), and leave no tensor behind. A hang blocks the event loop, so the watchdog catches it.
 */
import {memory} from '@tensorflow/tfjs-core';

import {Random} from '../../util/random.js';
import type {Case} from '../../keras/cases.js';
import {loadTopology, nested, type Topology} from './topology_cases.js';

const COUNT = 1000;
const SEED = 22;
/** A model of at most 10 small layers builds in milliseconds; a second means something spins. */
const BOUND_MS = 1000;
/** Messages JavaScript gives for a check that is missing, not one the loader made. */
const RAW_ERRORS =
  /Cannot read propert|Cannot convert|is not a function|is not iterable|Maximum call stack|undefined is not|null is not/i;

type Layer = {class_name: string; name: string; config: Record<string, unknown>; inbound_nodes: unknown[][]};

/** A valid random model: inputs, then layers that each read one or two earlier layers. */
function randomModel(random: Random): {layers: Layer[]; config: Topology} {
  const inputs = random.int(1, 2);
  const layers: Layer[] = [];
  for (let i = 0; i < inputs; i++) {
    const name = `in${i}`;
    layers.push({
      class_name: 'InputLayer',
      name,
      config: {name, batch_input_shape: [null, 3], dtype: 'float32'},
      inbound_nodes: [],
    });
  }
  for (let i = 0, n = random.int(1, 8); i < n; i++) {
    const name = `l${i}`;
    const from = (): unknown[] => [layers[random.int(0, layers.length - 1)].name, 0, 0, {}];
    const concat = layers.length > 1 && random.next() < 0.3;
    layers.push(
      concat
        ? {class_name: 'Concatenate', name, config: {name, axis: -1}, inbound_nodes: [[from(), from()]]}
        : {class_name: 'Dense', name, config: {name, units: random.int(1, 4)}, inbound_nodes: [[from()]]},
    );
  }
  const config = {
    name: 'fuzz',
    layers,
    input_layers: layers.slice(0, inputs).map((l) => [l.name, 0, 0]),
    output_layers: [[layers[layers.length - 1].name, 0, 0]],
  };
  return {layers, config};
}

const WRONG_VALUES: unknown[] = [null, 5, -1, 1.5, 'x', '', true, {}, [], [[]], {a: 1}, [1, 2, 3], 1e300];

/** Breaks the model one way (or leaves it whole), and says how. */
function mutate(random: Random, {layers, config}: {layers: Layer[]; config: Topology}): string {
  const callers = layers.filter((l) => l.inbound_nodes.length > 0);
  const target = random.pick(callers);
  const input = random.pick(target.inbound_nodes[0]) as unknown[];
  const later = layers[layers.length - 1];
  switch (random.int(0, 9)) {
    case 0:
      return 'unchanged';
    case 1:
      input[0] = 'ghost';
      return `dangling input of ${target.name}`;
    case 2:
      input[0] = later.name;
      return `${target.name} reads ${later.name} (cycle or self-loop)`;
    case 3:
      input[1] = random.int(1, 5);
      return `node index ${String(input[1])} in ${target.name}`;
    case 4:
      input[2] = random.int(1, 5);
      return `tensor index ${String(input[2])} in ${target.name}`;
    case 5:
      target.config[random.pick(['kernel_regularizer', 'units', 'name_scope'])] = nested(
        random.int(50, 3000),
      );
      return `deep nesting in ${target.name}`;
    case 6: {
      const slot = random.int(0, 3);
      input[slot] = random.pick(WRONG_VALUES);
      return `input field ${slot} of ${target.name} is ${JSON.stringify(input[slot])}`;
    }
    case 7: {
      const key = random.pick(['layers', 'input_layers', 'output_layers', 'name']);
      config[key] = random.pick(WRONG_VALUES);
      return `model config ${key} is ${JSON.stringify(config[key])}`;
    }
    case 8: {
      const key = random.pick(['inbound_nodes', 'config', 'class_name', 'name'] as const);
      (target as Record<string, unknown>)[key] = random.pick(WRONG_VALUES);
      return `${target.name}.${key} is ${JSON.stringify(target[key])}`;
    }
    default:
      config['output_layers'] = [[random.pick(['ghost', later.name]), random.int(0, 3), random.int(0, 2)]];
      return `output ${JSON.stringify(config['output_layers'])}`;
  }
}

export function fuzzCases(): Case[] {
  return [
    {
      name: `topology fuzz: ${COUNT} seeded random topologies each end within ${BOUND_MS} ms with a model or a clear error`,
      run: async () => {
        const random = new Random(SEED);
        const outcomes = {loaded: 0, refused: 0};
        for (let i = 0; i < COUNT; i++) {
          const model = randomModel(random);
          const change = mutate(random, model);
          const what = `topology ${i} (seed ${SEED}; ${change})`;
          const topology = {
            keras_version: '2.15.0',
            model_config: {class_name: 'Functional', config: model.config},
          };
          const before = memory().numTensors;
          const start = performance.now();
          try {
            (await loadTopology(topology)).dispose();
            outcomes.loaded++;
          } catch (e) {
            if (!(e instanceof Error) || e.message === '')
              throw new Error(`${what}: failed without a message: ${String(e)}`, {cause: e});
            if (RAW_ERRORS.test(e.message)) {
              throw new Error(`${what}: unclear error "${e.message}"`, {cause: e});
            }
            outcomes.refused++;
          }
          const ms = performance.now() - start;
          if (ms > BOUND_MS) throw new Error(`${what}: took ${ms.toFixed(0)} ms, more than ${BOUND_MS}`);
          const leaked = memory().numTensors - before;
          if (leaked !== 0) throw new Error(`${what}: ${leaked} tensors left behind`);
        }
        // Both outcomes must occur, or the generator tests less than it claims.
        if (outcomes.loaded < 50 || outcomes.refused < 500) {
          throw new Error(
            `${outcomes.loaded} loaded and ${outcomes.refused} refused: the generator is off balance`,
          );
        }
      },
    },
  ];
}
