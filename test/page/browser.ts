/**
 * Headless Chromium for the page test, through playwright-core with the system's Chromium (no browser
 * download): the same binary and flags as karma's ChromiumWebGPU launcher.
 */
import {accessSync, constants} from 'node:fs';
import {delimiter, join} from 'node:path';

import {chromium, type Browser, type Page} from 'playwright-core';

function findChromium(): string {
  const named = process.env.CHROMIUM_BIN ?? process.env.CHROME_BIN;
  if (named) return named;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  throw new Error('no Chromium found: set CHROMIUM_BIN, or install chromium (test/karma/ensure_browsers.sh)');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      // WebGPU stays off on Linux unless asked for; without a GPU, Dawn uses SwiftShader.
      '--enable-unsafe-webgpu',
      '--disable-dev-shm-usage',
      // The network is closed in CI: no update, sync or telemetry requests to wait on.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // Chromium's sandbox cannot start as root, which is how CI containers usually run.
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
}

/** Everything the page wrote to the console as an error, and its uncaught exceptions. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}
