/**
 * The configurations the WebGPU kernel is checked against the cpu kernel on, as data in the specs'
 * vocabulary (ProblemConfig). Shared by the browser specs (webgpu_vs_cpu.spec.ts,
 * webgpu_plan_sweep.spec.ts) and the Node check (test/node/webgpu_vs_cpu.ts), which runs all of them
 * plus many more random configurations.
 */
import {NEURONS} from '../util/neurons.js';
import type {ProblemConfig} from '../util/problem.js';
import {Random} from '../util/random.js';

const TANH = NEURONS.tanh.usual;

/** Unit counts: 1, around multiples of 4 / 32 / 64, and one past the persistent strategy (U > 1 MiB). */
const UNITS = [1, 3, 4, 5, 16, 31, 32, 33, 63, 64, 65, 100, 128, 130];
const LARGE_UNITS = 600;
/** Batches past the persistent strategy's rows-per-workgroup thresholds (64, 128, 192 rows). */
const LARGE_BATCHES = [63, 64, 65, 129, 130, 193, 257];

/**
 * A random configuration: neuron and its parameters, direction, unit-transform mode, null sources,
 * float16 weights, initial state, mask, and shapes around the kernel's block sizes and thresholds.
 */
export function randomConfig(seed: number): ProblemConfig {
  const random = new Random(seed);
  const neuron = NEURONS[random.pick(Object.keys(NEURONS))];
  // A few cases take the large-U path, a few the large batches; keep their sequences short, software
  // GPUs are slow.
  const large = seed % 13 === 0;
  const wide = !large && seed % 5 === 0;
  const outputChannels = large ? LARGE_UNITS : random.pick(UNITS);
  const unitTransform = random.next() < 0.15;
  return {
    batch: large ? random.int(1, 5) : wide ? random.pick(LARGE_BATCHES) : random.int(1, 6),
    time: large ? random.int(1, 4) : wide ? random.int(1, 4) : random.pick([1, 2, 7, 20, 64]),
    inputChannels: unitTransform ? outputChannels : random.int(1, 40),
    outputChannels,
    neuron: random.next() < 0.5 && neuron.usualForRandomInputs !== false ? neuron.usual : neuron.custom,
    weightScale: neuron.weightScale,
    inputWeights: random.pick(['bias', 'bias', 'bias', 'noBias', 'null'] as const),
    recurrentWeights: random.next() < 0.85,
    unitTransform,
    float32Weights: random.next() < 0.5,
    backward: random.next() < 0.5,
    initialState: random.next() < 0.5,
    mask: random.pick([undefined, undefined, 'random', 'lengths'] as const),
    seed,
  };
}

/**
 * Fixed cases for the paths random draws could miss: the stepwise strategy (float32 U over 1 MiB, more
 * than one step, with a mask and without an initial state) and a persistent loop cut into several
 * dispatches (more steps than one dispatch runs).
 */
export const PINNED: ProblemConfig[] = [
  {
    batch: 2,
    time: 3,
    inputChannels: 5,
    outputChannels: LARGE_UNITS,
    neuron: TANH,
    float32Weights: true,
    initialState: true,
    mask: 'random',
    seed: 101,
  },
  {
    batch: 3,
    time: 4,
    inputChannels: 7,
    outputChannels: LARGE_UNITS,
    neuron: TANH,
    float32Weights: true,
    backward: true,
    seed: 102,
  },
  {
    batch: 2,
    time: 1500,
    inputChannels: 3,
    outputChannels: 8,
    neuron: TANH,
    mask: 'lengths',
    backward: true,
    initialState: true,
    seed: 103,
  },
  {batch: 1, time: 2100, inputChannels: 2, outputChannels: 5, neuron: TANH, float32Weights: true, seed: 104},
];

/**
 * Shapes that walk the recurrence's plan space (strategy.ts): every unit count from 1 to 16 (one to
 * four quads, one or two segments, one to sixteen outputs per invocation), the segment and
 * register-resident-U thresholds (16, 32, 64, 128 / 129 units: up to 128 the resident strategy), batches below, at and past every
 * rows-per-workgroup threshold with partial last row blocks (1, 63-65, 128-130, 192, 193, 256, 257,
 * 1000) for U in registers (8 units) and streamed (300 units: segments longer than 16 inputs whatever
 * the adapter's thread limit), and the stepwise strategy with 1-4 rows and partial column blocks. The other features rotate through the
 * cases so each plan also meets masks, initial states, both directions and both weight precisions.
 * webgpu_plan_sweep.spec.ts checks that these reach every plan on the adapter it runs on.
 */
export const PLAN_SWEEP: ProblemConfig[] = (
  [
    ...Array.from({length: 16}, (_, k) => [65, 3, k + 1] as const),
    ...[1, 63, 64, 129, 130, 193, 257, 1000].map((batch) => [batch, batch > 200 ? 2 : 3, 8] as const),
    [128, 2, 8],
    [1000, 2, 16],
    [1000, 2, 128],
    [65, 2, 31],
    [65, 2, 32],
    [65, 2, 33],
    [129, 2, 63],
    [129, 2, 64],
    [129, 2, 65],
    [65, 2, 128],
    [1, 3, 129],
    [65, 2, 129],
    // U in registers for the persistent strategy (adapters with 528 or more invocations per workgroup).
    ...[130, 193, 257].map((batch) => [batch, 2, 130] as const),
    ...[1, 65, 128, 130, 192, 193, 256, 257].map((batch) => [batch, 2, 300] as const),
    [2, 1, 513],
    ...[1, 2, 3, 4, 5].map((batch) => [batch, 2, 513] as const),
    [3, 2, 725],
  ] as const
).map(([batch, time, units], n): ProblemConfig => {
  // Stepwise cases need U over 1 MiB: float32 for 513 units, float16 from 725.
  const float32Weights = units === 513 || (units < 513 && n % 2 === 1);
  return {
    batch,
    time,
    inputChannels: 1 + ((units * 7 + n) % 13),
    outputChannels: units,
    neuron: n % 4 === 3 ? NEURONS.relu.custom : TANH,
    float32Weights,
    backward: n % 3 === 1,
    initialState: n % 2 === 0,
    mask: n % 5 === 2 ? 'random' : n % 5 === 4 ? 'lengths' : undefined,
    seed: 1000 + n,
  };
});

const base = {batch: 2, time: 5, inputChannels: 7, outputChannels: 13, initialState: true, seed: 200};

/** Every neuron with its usual and with other parameters. */
export const NEURON_CASES: ProblemConfig[] = Object.values(NEURONS).flatMap((neuron, n) => [
  {...base, neuron: neuron.usual, weightScale: neuron.weightScale, seed: 200 + 2 * n},
  {...base, neuron: neuron.custom, weightScale: neuron.weightScale, seed: 201 + 2 * n},
]);

/** Directions, unit-transform mode, absent sources, weights precision and masks. */
export const MODE_CASES: ProblemConfig[] = (
  [
    {backward: true},
    {backward: true, initialState: false},
    {inputChannels: 13, unitTransform: true},
    {inputChannels: 13, unitTransform: true, inputWeights: 'noBias', backward: true},
    {inputWeights: 'null'},
    {inputWeights: 'noBias'},
    {recurrentWeights: false},
    {recurrentWeights: false, inputWeights: 'noBias', backward: true},
    {initialState: false},
    {float32Weights: true},
    {recurrentWeights: false, inputWeights: 'null'},
    {mask: 'random'},
    {mask: 'random', backward: true, initialState: false},
    {mask: 'lengths', recurrentWeights: false},
    {mask: 'random', recurrentWeights: false, initialState: false, backward: true},
    {batch: 3, time: 4, inputChannels: 5, outputChannels: 1024, mask: 'random'},
    {
      batch: 3,
      time: 4,
      inputChannels: 5,
      outputChannels: 1024,
      mask: 'lengths',
      backward: true,
      initialState: false,
    },
  ] as Array<Partial<ProblemConfig>>
).map((mode, n) => ({...base, neuron: TANH, ...mode, seed: 300 + n}));

/** Unit counts around the 4 / 32 / 64 boundaries up to 1024, both precisions, batch 1 and more, time 1. */
export const SHAPE_CASES: ProblemConfig[] = [
  1, 3, 4, 5, 31, 32, 33, 63, 64, 65, 100, 128, 257, 384, 512, 700, 1000, 1024,
].flatMap((units, n): ProblemConfig[] => [
  {
    batch: 1 + (n % 3),
    time: units > 300 ? 3 : 6,
    inputChannels: 1 + ((units * 7) % 37),
    outputChannels: units,
    neuron: TANH,
    initialState: true,
    seed: 400 + 2 * n,
  },
  {
    batch: n % 2 === 0 ? 1 : 5,
    time: 1 + (n % 2),
    inputChannels: 16,
    outputChannels: units,
    neuron: TANH,
    float32Weights: true,
    backward: n % 2 === 0,
    initialState: true,
    seed: 401 + 2 * n,
  },
]);

/** Long sequences: persistent dispatches cut many times, and many stepwise dispatches. */
export const LONG_CASES: ProblemConfig[] = [
  {batch: 2, time: 10000, inputChannels: 3, outputChannels: 8, neuron: TANH, initialState: true, seed: 500},
  {
    batch: 1,
    time: 10000,
    inputChannels: 4,
    outputChannels: 1,
    neuron: NEURONS.sigmoid.usual,
    backward: true,
    initialState: true,
    seed: 501,
  },
  {batch: 1, time: 10000, inputChannels: 8, outputChannels: 128, neuron: TANH, initialState: true, seed: 502},
  {
    batch: 1,
    time: 300,
    inputChannels: 8,
    outputChannels: 1024,
    neuron: TANH,
    float32Weights: true,
    seed: 503,
  },
];

/** A case's shape and features in one line, for test titles and failure messages. */
export function describeConfig(c: ProblemConfig): string {
  const features = [
    c.neuron.type,
    c.float32Weights ? 'f32' : 'f16',
    c.backward ? 'backward' : '',
    c.unitTransform ? 'unit-transform' : '',
    c.inputWeights === 'null' ? 'no W' : c.inputWeights === 'noBias' ? 'no bias' : '',
    c.recurrentWeights === false ? 'no U' : '',
    c.initialState ? 'h0' : '',
    c.mask ? `mask ${c.mask}` : '',
  ].filter((f) => f !== '');
  return (
    `seed ${c.seed}: [${c.batch}, ${c.time}, ${c.inputChannels}] -> ${c.outputChannels}, ` +
    features.join(', ')
  );
}
