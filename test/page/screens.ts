/**
 * Screenshot checks: what a person sees on the demo page, read from the pixels of element
 * screenshots (decoded by png.ts): the charts drawn in their colours at a readable size, the
 * software-adapter note beside the race, errors in the error style.
 */
import type {Page} from 'playwright-core';

import type {Checks} from './checks.js';
import {countColour, decodePng, type Image} from './png.js';

/** The colours demo/web/main.ts and style.css draw with. */
export const COLOURS = {
  ours: '#e76f51',
  theirs: '#6c757d',
  truth: '#2a9d8f',
  errorText: '#b00020',
  errorBackground: '#fdecea',
  softwareBackground: '#fff4d6',
};

export async function shot(page: Page, selector: string): Promise<Image> {
  return decodePng(await page.locator(selector).screenshot());
}

function share(image: Image, hex: string): number {
  return countColour(image, hex) / (image.width * image.height);
}

/** The charts: readable sizes, and each series' colour present in visible amounts. */
export async function checkChartScreens(page: Page, checks: Checks): Promise<void> {
  const sine = await shot(page, '#sine-chart svg');
  checks.that(
    'screenshot: the sine chart is at least 400×200 px',
    sine.width >= 400 && sine.height >= 200,
    `${sine.width}×${sine.height}`,
  );
  checks.that(
    'screenshot: the sine chart shows the prediction and the true wave in their colours',
    countColour(sine, COLOURS.ours) > 50 && countColour(sine, COLOURS.truth) > 50,
    `prediction ${countColour(sine, COLOURS.ours)} px, truth ${countColour(sine, COLOURS.truth)} px`,
  );
  const race = await shot(page, '#race-chart svg');
  const backends = ((await page.getAttribute('#race-chart', 'data-backends')) ?? '').split(' ');
  checks.that(
    'screenshot: the race chart shows bars of both implementations',
    share(race, COLOURS.ours) > 0.005 && share(race, COLOURS.theirs) > 0.005,
    `fused ${countColour(race, COLOURS.ours)} px, simpleRNN ${countColour(race, COLOURS.theirs)} px`,
  );
  checks.that(
    `screenshot: the race chart is tall enough for ${backends.length} backends' bars`,
    race.height >= 40 * backends.length && race.width >= 400,
    `${race.width}×${race.height}`,
  );
}

/** A software adapter's note is shown in the warning style, next to the race. */
export async function checkSoftwareNote(page: Page, checks: Checks): Promise<void> {
  const note = await shot(page, '#adapter');
  checks.that(
    "screenshot: the software adapter's note is drawn on the warning background",
    share(note, COLOURS.softwareBackground) > 0.3,
    `${(share(note, COLOURS.softwareBackground) * 100).toFixed(0)}% of ${note.width}×${note.height}`,
  );
}

/** A failure in the drop zone looks like an error: red text on the error background. */
export async function checkErrorScreen(page: Page, checks: Checks, what: string): Promise<void> {
  const box = await shot(page, '#model-report .error');
  checks.that(
    `screenshot: ${what} is shown as an error (red text on a red-tinted box)`,
    share(box, COLOURS.errorBackground) > 0.3 && countColour(box, COLOURS.errorText, 40) > 20,
    `background ${(share(box, COLOURS.errorBackground) * 100).toFixed(0)}%, ` +
      `red text ${countColour(box, COLOURS.errorText, 40)} px of ${box.width}×${box.height}`,
  );
}
