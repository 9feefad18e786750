/**
 * The configurations the image variant's WebGPU kernel is checked on, as data: seeded random shapes
 * and options, and pinned cases for what random draws could miss. Shared by the browser spec
 * (conv_webgpu_vs_cpu.spec.ts) and the Node check (test/node/webgpu_vs_cpu.ts).
 */
import type {ConvProblemConfig} from '../util/conv_kernel_problem.js';
import {NEURONS} from '../util/neurons.js';
import {Random} from '../util/random.js';

const TANH = NEURONS.tanh.usual;
const KERNEL_SIZES = [1, 2, 3, 5];

/**
 * A random configuration: W's and U's windows drawn apart (sizes 1, 2, 3, 5, not necessarily square),
 * both paddings, every neuron, float16 or float32 weights, both directions, unit-transform mode, null
 * sources, initial state and mask, on images small enough for a software GPU. Every fourth case has a
 * larger image, which the strategy runs one dispatch per step.
 */
export function randomConvConfig(seed: number): ConvProblemConfig {
  const random = new Random(seed);
  const neuron = NEURONS[random.pick(Object.keys(NEURONS))];
  const large = seed % 4 === 0;
  const outputChannels = large ? random.int(8, 24) : random.int(1, 9);
  const unitTransform = random.next() < 0.15;
  const size = (): number => (large ? random.int(24, 40) : random.int(1, 9));
  const window = (): [number, number] => [random.pick(KERNEL_SIZES), random.pick(KERNEL_SIZES)];
  return {
    batch: random.int(1, 3),
    time: large ? random.int(1, 3) : random.pick([1, 2, 4, 6]),
    height: size(),
    width: size(),
    inputChannels: unitTransform ? outputChannels : random.int(1, 9),
    outputChannels,
    inputKernel: window(),
    recurrentKernel: window(),
    padding: random.pick(['mps', 'same'] as const),
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

const base = {
  batch: 2,
  time: 3,
  height: 5,
  width: 6,
  inputChannels: 3,
  outputChannels: 6,
  inputKernel: [3, 3] as [number, number],
  recurrentKernel: [3, 3] as [number, number],
  padding: 'mps' as const,
  neuron: TANH,
  initialState: true,
};

/**
 * Fixed cases: each strategy with every option that changes its shader (mask, initial state,
 * direction, both paddings of even windows, window sizes 1 to 5, the stepwise window sum split over 4
 * and 8 invocations, long windows' tiles of pixels, a last one partly past the image's edge), both
 * precisions, and a persistent loop cut into two dispatches (more steps than one dispatch runs).
 */
export const PINNED_CONV: ConvProblemConfig[] = (
  [
    {recurrentKernel: [2, 2], padding: 'mps', mask: 'random'},
    {recurrentKernel: [2, 4], inputKernel: [4, 2], padding: 'same', backward: true, float32Weights: true},
    {recurrentKernel: [5, 5], inputKernel: [1, 1], mask: 'lengths', initialState: false},
    {recurrentKernel: [1, 1], inputKernel: [5, 3], outputChannels: 8, float32Weights: true},
    {height: 34, width: 30, outputChannels: 9, recurrentKernel: [2, 2], padding: 'mps', mask: 'random'},
    {
      height: 30,
      width: 33,
      outputChannels: 12,
      recurrentKernel: [3, 2],
      padding: 'same',
      backward: true,
      initialState: false,
      float32Weights: true,
    },
    // The stepwise window sum split 4 ways (400 terms).
    {height: 32, width: 32, outputChannels: 16, recurrentKernel: [5, 5], mask: 'lengths', backward: true},
    {
      batch: 1,
      time: 1030,
      height: 1,
      width: 1,
      inputChannels: 1,
      outputChannels: 1,
      inputKernel: [1, 1],
      recurrentKernel: [1, 1],
      float32Weights: true,
    },
    // The longest split (8 ways, a window of 600 terms) with an even window's padding and a carried mask.
    {
      height: 18,
      width: 20,
      outputChannels: 30,
      inputKernel: [2, 2],
      recurrentKernel: [4, 5],
      padding: 'same',
      mask: 'random',
      initialState: false,
      float32Weights: true,
    },
    // Tiles of 4 pixels (long windows) on a width that leaves a last tile of one pixel: the recurrence's
    // (5x3 window of 20 channels, 300 terms) and the projection's (5x5 of 12 channels, 300 terms).
    {
      height: 30,
      width: 13,
      inputChannels: 12,
      outputChannels: 20,
      inputKernel: [5, 5],
      recurrentKernel: [5, 3],
      mask: 'random',
    },
    {
      height: 7,
      width: 17,
      inputChannels: 12,
      outputChannels: 7,
      inputKernel: [4, 6],
      recurrentKernel: [2, 2],
      padding: 'same',
      backward: true,
      float32Weights: true,
    },
    // A long window left unsplit (one channel cannot be split) on tiles: 17x17 taps, 289 terms, on an
    // image too large for the persistent loop.
    {height: 88, width: 86, outputChannels: 1, recurrentKernel: [17, 17], mask: 'lengths'},
  ] as Array<Partial<ConvProblemConfig>>
).map((c, n) => ({...base, ...c, seed: 500 + n}));

/** A short label naming everything a failing case needs to be rerun. */
export function describeConvConfig(c: ConvProblemConfig): string {
  const flags = [
    c.padding,
    `W ${c.unitTransform ? 'unit' : (c.inputWeights ?? 'bias')} ${c.inputKernel.join('x')}`,
    `U ${c.recurrentWeights === false ? 'null' : c.recurrentKernel.join('x')}`,
    c.float32Weights ? 'f32' : 'f16',
    c.backward ? 'backward' : 'forward',
    ...(c.initialState ? ['h0'] : []),
    ...(c.mask ? [`mask ${c.mask}`] : []),
    `${c.neuron.type}(${c.neuron.a}, ${c.neuron.b}, ${c.neuron.c})`,
  ];
  return `[${c.batch}, ${c.time}, ${c.height}, ${c.width}, ${c.inputChannels}] -> ${c.outputChannels}, ${flags.join(', ')} (seed ${c.seed})`;
}
