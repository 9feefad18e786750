/**
 * The image variant's descriptor checks: the matrix descriptor's (descriptor_attrs.ts, with OHWI shapes
 * in its messages) plus `padding`, and the checks of its OHWI weights against x, shared by the op and
 * the layer.
 */
import {keysOf, nearestKey} from './config_keys.js';
import type {SingleGateConvRNNDescriptor} from '../contracts/image_descriptor.js';
import type {ConvRNNPadding, SingleGateConvRNNAttrs} from '../contracts/image_kernel.js';
import {checkDescriptor, DescriptorForm, MATRIX_DESCRIPTOR} from './descriptor_attrs.js';
import {formatShape, formatValue} from './arguments.js';

/** W's and U's layouts as errors show them. */
export const INPUT_KERNEL_DIMS = '[outputFeatureChannels, kernelHeight, kernelWidth, inputFeatureChannels]';
export const RECURRENT_KERNEL_DIMS =
  '[outputFeatureChannels, kernelHeight, kernelWidth, outputFeatureChannels]';

const CONV_DESCRIPTOR_KEYS = [
  ...MATRIX_DESCRIPTOR.keys,
  ...keysOf<Pick<SingleGateConvRNNDescriptor, 'padding'>>()({padding: true}),
];

const CONV_DESCRIPTOR: DescriptorForm = {
  typeName: 'SingleGateConvRNNDescriptor',
  keys: CONV_DESCRIPTOR_KEYS,
  inputWeightsShape: INPUT_KERNEL_DIMS,
  recurrentWeightsShape: RECURRENT_KERNEL_DIMS,
};

export const PADDINGS: readonly ConvRNNPadding[] = ['mps', 'same'];

/** `value` as a padding rule ('mps' when absent); a misspelt one names the rule it most likely meant. */
export function checkPadding(value: unknown, argName: string): ConvRNNPadding {
  if (value == null) return 'mps';
  if ((PADDINGS as readonly unknown[]).includes(value)) return value as ConvRNNPadding;
  const nearest = typeof value === 'string' ? nearestKey(value, PADDINGS) : null;
  const hint = nearest == null ? '' : ` (did you mean '${nearest}'?)`;
  throw new Error(
    `${argName} must be 'mps' (an even kernel's extra row and column at the top and left, as MPS) or ` +
      `'same' (at the bottom and right, as tfjs), got ${formatValue(value)}${hint}`,
  );
}

/** The op's whole-descriptor checks for an image descriptor, then its kernel attributes. */
export function checkConvDescriptor(descriptor: SingleGateConvRNNDescriptor): SingleGateConvRNNAttrs {
  const attrs = checkDescriptor(descriptor, CONV_DESCRIPTOR);
  return {...attrs, padding: checkPadding(descriptor.padding, 'descriptor.padding')};
}

/**
 * Refuses a kernel with rows or columns that can never meet the image. With stride 1 and zero padding
 * that keeps the size, kernel row r of output row y reads image row y - padTop + r; some row r never
 * reads inside an image of `size` rows once the kernel exceeds 2·size − 1 (either padding rule). Such
 * weights would be silently dead, which is most often a layout mistake (HWIO given for OHWI, say);
 * anything smaller is well defined, and a kernel larger than the image otherwise is fine.
 */
export function checkKernelReach(
  shape: readonly number[],
  argName: string,
  imageShape: readonly [number, number],
): void {
  const sides: Array<[string, number, number]> = [
    ['height', shape[1], imageShape[0]],
    ['width', shape[2], imageShape[1]],
  ];
  for (const [side, kernel, image] of sides) {
    const reach = 2 * image - 1;
    if (kernel > reach) {
      throw new Error(
        `${argName} is ${formatShape(shape)}: a kernel ${side} of ${kernel} on images of ${side} ${image} ` +
          `has weights that never meet the image (with the size kept, at most 2·${side} − 1 = ${reach} reach it)`,
      );
    }
  }
}

/**
 * Checks an OHWI kernel's shape: rank 4, the given channel counts, kernel sides >= 1. `dims` is
 * INPUT_KERNEL_DIMS or RECURRENT_KERNEL_DIMS. Returns the kernel's [height, width].
 */
export function checkKernelShape(
  shape: readonly number[],
  argName: string,
  dims: string,
  outChannels: number,
  inChannels: number,
): [number, number] {
  const expected = `[${outChannels}, kernelHeight, kernelWidth, ${inChannels}]`;
  if (shape.length !== 4) {
    throw new Error(
      `${argName} must be rank 4 ${dims} (OHWI) = ${expected}, got rank ${shape.length} with shape ` +
        formatShape(shape),
    );
  }
  const [out, height, width, channels] = shape;
  if (out !== outChannels || channels !== inChannels || height < 1 || width < 1) {
    const square = dims === RECURRENT_KERNEL_DIMS ? ' (square in channels)' : '';
    throw new Error(`${argName} must be ${dims}${square} = ${expected}, got ${formatShape(shape)}`);
  }
  return [height, width];
}
