/**
 * karma-esbuild maps stack frames from the test bundle back to the TypeScript sources, but it only
 * recognizes a frame whose path follows a space or "(", as in V8's "at f (file:1:2)". Firefox writes
 * "f@file:1:2", so its traces would point into the bundle. This rewrites Firefox frames to V8's form
 * before karma-esbuild reads them.
 *
 * karma-esbuild installs its formatter by wrapping whatever `config.formatError` holds when its
 * preprocessor starts, and karma reads `config.formatError` afresh for every error; an accessor on
 * that one property is the only hook in between.
 */

/** "name@url:line:col" (name possibly empty) on its own line, as Firefox and Safari print frames. */
const FIREFOX_FRAME = /^(\s*)([^\s@]*)@(\S+:\d+:\d+)\s*$/gm;

export function toV8Frames(message) {
  return message.replace(
    FIREFOX_FRAME,
    (_, indent, name, location) => `${indent}at ${name || '<anonymous>'} (${location})`,
  );
}

/** Makes every formatter assigned to `config.formatError` see Firefox frames in V8's form. */
export function rewriteFirefoxFramesFirst(config) {
  let formatter = config.formatError;
  Object.defineProperty(config, 'formatError', {
    configurable: true,
    enumerable: true,
    // Each read captures the formatter of that moment, so a formatter that wraps the previous one
    // (as karma-esbuild's does) calls the old one, not itself.
    get() {
      const current = formatter;
      return (message) => (current ? current(toV8Frames(message)) : `${toV8Frames(message)}\n`);
    },
    set(value) {
      formatter = value;
    },
  });
}
