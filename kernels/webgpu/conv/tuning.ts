/**
 * The tunable numbers of the convolutional recurrence, in one place (as ../tuning.ts for the matrix
 * kernel); strategy.ts explains the model behind them.
 */

/**
 * Persistent recurrence while one batch row's step costs at most this many multiply-adds
 * (height · width · channels · kernelHeight · kernelWidth · channels of U). One workgroup does a whole
 * row's step, so past this a step takes longer on one multiprocessor than a dispatch of the step over
 * the whole GPU. 2^21 is about 10 µs of one multiprocessor of a large discrete GPU, the cost of a
 * dispatch with the backend's bookkeeping.
 *
 * Measured in Node (Dawn) on SwiftShader, a CPU, where each barrier switches every invocation's
 * context (whole op, median of 5): persistent wins only on the smallest image, (1, 50, 4, 4, 8, 8, 3)
 * 11.0 against 19.4 ms; from 8x8 images on the stepwise recurrence is faster there, e.g. 687 against
 * 958 ms at (1, 100, 8, 8, 32, 32, 3) and 12.7 against 16.0 ms at (1, 16, 8, 8, 8, 8, 3). A GPU has no
 * such barrier cost and a far larger cost per dispatch, so this number follows the GPU model above. On
 * an NVIDIA H200 (GPU time at full clocks, median of 20) the persistent loop ran (1, 100, 8, 8, 32, 32, 3)
 * in 2.87 ms, against 3.32 ms for PyTorch's per-step cuDNN loop in the same call; the stepwise shapes
 * there are 16x16 and larger.
 */
export const CONV_PERSISTENT_MAX_STEP_MACS = 2 ** 21;

/** Invocations per workgroup of the projection and the stepwise recurrence (a multiple of CONV_MAX_SPLITS). */
export const CONV_WORKGROUP = 64;

/**
 * The stepwise recurrence splits an item's window sum (kernelHeight · kernelWidth · channels
 * multiply-adds of vec4s, one global load of h and one of U each) over several invocations once it is
 * longer than CONV_SPLIT_ABOVE_MACS, halving the share until it is at most CONV_SPLIT_MACS, at most
 * CONV_MAX_SPLITS ways and never more ways than channels. One step has only batch · height · width ·
 * quads items (16384 at (8, 20, 16, 16, 32, 32, 5): about 4 SIMD groups per multiprocessor of a
 * 132-multiprocessor GPU), too few to hide the loads' latency behind other invocations; each waited
 * on 800 loads in series. Split 8 ways: 131072 invocations of 100 iterations, then one workgroup
 * barrier and a sum of 8 partial vec4s from workgroup memory. (Since then a long window's item also
 * covers a tile of 4 pixels, CONV_TILE_PIXELS: 4096 items a step there, 32768 invocations split.)
 *
 * The split depends on U's window and channels only (both already in the shader key), never on the
 * image or batch, so another image size compiles nothing. Sums up to 256 long (every 3x3 window up to
 * 28 channels) stay unsplit: with enough items to fill a GPU there, and on software adapters, where a
 * barrier switches every invocation's context, the unsplit sum is the faster one.
 */
export const CONV_SPLIT_ABOVE_MACS = 256;
export const CONV_SPLIT_MACS = 128;
export const CONV_MAX_SPLITS = 8;

/**
 * Pixels of an image row one item of a long window's sum covers (the stepwise recurrence's and the
 * projection's; strategy.ts `windowTile`): each vec4 of weights is then loaded once for four pixels'
 * multiply-adds instead of one. At (8, 20, 16, 16, 32, 32, 5) on an NVIDIA H200 (GPU time, median of
 * 10, one call) U's 5 · 5 · 32 · 32 floats (100 KB) made the recurrence wait on its loads of U:
 * 1.16 ms with 1 pixel an item, 0.81 with 2, 0.74 with 4 and 0.86 with 8. Short windows lose by it
 * (their weights stay in cache and the tile cuts the invocations a step has): 0.32 against 0.62 ms
 * at (1, 16, 32, 32, 8, 16, 3) with 4, so they keep 1. The projection's W (the same size there) went
 * from 0.31 to 0.28 ms with 4.
 */
export const CONV_TILE_PIXELS = 4;
