/**
 * A clear message where a synchronous read cannot work: the webgpu backend reads a tensor
 * synchronously (`dataSync()`, `arraySync()`, `print()`) through an OffscreenCanvas, which Node.js
 * lacks, so without this the user sees "OffscreenCanvas is not defined" from deep inside tfjs.
 * Feature checks (`typeof OffscreenCanvas`, `instanceof`) keep working: the class exists, and only
 * constructing one throws.
 */
const MESSAGE =
  'synchronous reads (dataSync(), arraySync(), print()) of a webgpu tensor cannot work in Node.js: ' +
  'the webgpu backend needs an OffscreenCanvas for them, which Node.js lacks; read with ' +
  '`await tensor.data()` or `await tensor.array()`, or choose the cpu or wasm backend';

/** Defines `OffscreenCanvas` as a class that throws MESSAGE, unless the runtime has one. */
export function installSyncReadGuard(): void {
  if (typeof (globalThis as {OffscreenCanvas?: unknown}).OffscreenCanvas !== 'undefined') return;
  class OffscreenCanvas {
    constructor() {
      throw new Error(MESSAGE);
    }
  }
  Object.defineProperty(globalThis, 'OffscreenCanvas', {
    value: OffscreenCanvas,
    configurable: true,
    writable: true,
  });
}
