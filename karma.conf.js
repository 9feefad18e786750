/**
 * Runs the specs in headless Chromium and headless Firefox, both with WebGPU on.
 *
 * An ES module, like every other file here: karma 6 loads its config with require(), which loads an ES
 * module (and takes its default export) on Node 20.19 and later on the 20 line, and 22.12 and later;
 * package.json's `engines` says so, and `npm run test:browsers` checks it first with a clear message.
 *
 * Environment: CHROME_BIN or CHROMIUM_BIN and FIREFOX_BIN pick the browser binaries (default:
 * `chromium` and `firefox` on the PATH); KARMA_BROWSERS=ChromiumWebGPU (comma-separated) runs a subset,
 * KARMA_SPECS=test/stacks.spec.ts (comma-separated globs) a subset of the specs.
 */

import fs from 'node:fs';
import path from 'node:path';

import {rewriteFirefoxFramesFirst} from './test/karma/firefox_stack_frames.js';
import runSummary from './test/karma/run_summary.js';
import secondOrigin from './test/karma/second_origin.js';
import sharedFixtures, {sharedFixturesClient} from './test/karma/shared_fixtures.js';

/** Whether an executable `name` is on the PATH. */
function onPath(name) {
  return (process.env.PATH || '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

// karma-esbuild writes its entry file to os.tmpdir() and imports each spec by a path relative to it,
// without a leading './' when the project itself lives below the temp dir (a checkout under /tmp): the
// specs then resolve as packages and nothing runs. A temp dir inside the project always yields '../'
// paths. Browser profiles land there too, and go with it.
const tmp = path.join(import.meta.dirname, 'node_modules', '.cache', 'karma');
fs.mkdirSync(tmp, {recursive: true});
process.env.TMPDIR = tmp;

// Headless Firefox on Linux creates WebGL contexts through GLX, which needs a display, and fails with
// "Exhausted GL driver options"; through EGL it gets one from Mesa (llvmpipe without a GPU). The launcher
// passes this environment on to Firefox.
process.env.MOZ_WEBGL_FORCE_EGL = '1';

// karma-chrome-launcher's Chromium launcher reads CHROMIUM_BIN; accept CHROME_BIN too, the name most
// CI images and tools set.
if (!process.env.CHROMIUM_BIN && process.env.CHROME_BIN) process.env.CHROMIUM_BIN = process.env.CHROME_BIN;
// karma-firefox-launcher runs `firefox`; some installs of Firefox ESR provide only `firefox-esr`.
if (!process.env.FIREFOX_BIN && !onPath('firefox') && onPath('firefox-esr')) {
  process.env.FIREFOX_BIN = 'firefox-esr';
}

/** The network is closed in CI: keep the browsers from waiting on update, sync and telemetry hosts. */
const CHROMIUM_QUIET_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

// Each launcher's displayName is its key, so results and failures name the launcher as configured
// here; the environment spec logs each browser's version.
const customLaunchers = {
  ChromiumWebGPU: {
    displayName: 'ChromiumWebGPU',
    // The plain Chromium launcher, not ChromiumHeadless: that one adds a fixed --remote-debugging-port,
    // which collides when two runs share a machine.
    base: 'Chromium',
    flags: [
      '--headless=new',
      // WebGPU stays off on Linux unless asked for; with no GPU, Dawn then uses SwiftShader (its
      // Vulkan-on-CPU renderer bundled with Chromium), so nothing beyond the browser is needed.
      '--enable-unsafe-webgpu',
      // WebGL 2 on SwiftShader (the webgl backend's specs): Chromium's silent fallback to it when no
      // GPU is found is deprecated and going away; this asks for it explicitly.
      '--enable-unsafe-swiftshader',
      '--disable-dev-shm-usage',
      ...CHROMIUM_QUIET_FLAGS,
      // Chromium's sandbox cannot start as root, which is how CI containers usually run.
      ...(process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : []),
    ],
  },
  FirefoxWebGPU: {
    displayName: 'FirefoxWebGPU',
    base: 'FirefoxHeadless',
    prefs: {
      // WebGPU is not yet on by default in Firefox ESR on Linux.
      'dom.webgpu.enabled': true,
      // Without this the only adapter on a GPU-less machine, Mesa's lavapipe (software Vulkan), is
      // blocklisted and requestAdapter() returns null.
      'gfx.webgpu.ignore-blocklist': true,
      // Likewise WebGL: llvmpipe is blocklisted for WebGL 2 (the webgl backend's specs).
      'webgl.force-enabled': true,
      // Same reason as CHROMIUM_QUIET_FLAGS.
      'app.update.enabled': false,
      'browser.safebrowsing.downloads.remote.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'datareporting.healthreport.uploadEnabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
      'toolkit.telemetry.reportingpolicy.firstRun': false,
    },
  },
};

const browsers = process.env.KARMA_BROWSERS
  ? process.env.KARMA_BROWSERS.split(',').map((name) => name.trim())
  : Object.keys(customLaunchers);

export default function (config) {
  config.set({
    frameworks: ['mocha'],
    plugins: [
      'karma-mocha',
      'karma-esbuild',
      'karma-chrome-launcher',
      'karma-firefox-launcher',
      runSummary,
      secondOrigin,
      sharedFixtures,
    ],
    // The loader specs' second origin (the same server reached as 127.0.0.1), with a request log; the
    // real Keras models of ../shared, served from there (never copied into the repository).
    beforeMiddleware: ['second-origin', 'shared-fixtures'],
    files: [
      // KARMA_SPECS (comma-separated globs) runs a subset while working on one area; CI runs them all.
      ...(process.env.KARMA_SPECS
        ? process.env.KARMA_SPECS.split(',').map((glob) => glob.trim())
        : ['test/**/*.spec.ts']),
      // Keras converter output, fetched over HTTP by the loader specs as a user's page would.
      {pattern: 'test/fixtures/keras/**/*', included: false, served: true, watched: false},
      // The wasm backend's binaries, fetched by the backend itself (setWasmPaths in test/util/setup.ts).
      {
        pattern: 'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
        included: false,
        served: true,
        watched: false,
      },
    ],
    // Streaming compilation of the wasm binaries needs their proper type.
    mime: {'application/wasm': ['wasm']},
    preprocessors: {'test/**/*.spec.ts': ['esbuild']},
    esbuild: {
      // The browsers are current; a newer target keeps async/await native, which keeps stack traces
      // readable.
      target: 'es2022',
    },
    browsers,
    customLaunchers,
    reporters: ['dots', 'run-summary'],
    // CI logs are files: color codes there are noise.
    colors: Boolean(process.stdout.isTTY),
    client: {
      captureConsole: true,
      sharedFixtures: sharedFixturesClient(import.meta.dirname),
      mocha: {
        // Software renderers compile shaders slowly; the first WebGPU test of a run pays for the
        // pipeline cache.
        timeout: 60000,
        forbidOnly: true,
      },
    },
    singleRun: true,
    autoWatch: false,
    // Firefox builds a fresh profile on first start.
    captureTimeout: 60000,
    // Long tests send nothing between results.
    browserNoActivityTimeout: 180000,
    browserDisconnectTimeout: 10000,
    browserDisconnectTolerance: 0,
    // Two attempts: a launch that fails twice is a broken setup, not bad luck.
    retryLimit: 1,
    // Both browsers at once: they share nothing and each runs on its own CPU renderer.
    concurrency: Infinity,
    logLevel: config.LOG_WARN,
  });
  rewriteFirefoxFramesFirst(config);
}
