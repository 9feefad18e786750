/**
 * The demo page in headless Chromium (`npm run test:page`, after `npm run demo:web:build`): serves
 * build/web, opens it, waits for its charts and checks what they hold, that the backend it shows is
 * the one its predictions ran on (webgpu wherever the browser offers an adapter), that the console
 * stayed free of errors, and drops fixture Keras models on its drop zone. It also prints the first
 * prediction's time with and without `warmUp`, each in a fresh browser so no pipeline is cached.
 */
import {readdir, readFile} from 'node:fs/promises';
import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';

import type {Browser, Page} from 'playwright-core';

import {serve} from '../../scripts/serve.js';
import {launchChromium, collectErrors} from './browser.js';
import {Checks} from './checks.js';
import {checkDrop, type DropCase} from './drop_cases.js';
import {checkChartScreens, checkSoftwareNote} from './screens.js';

const PAGE_TIMEOUT_MS = 300_000;
const FIXTURES = join('test', 'fixtures', 'keras');

const DROPS: DropCase[] = [
  {fixture: 'k2-sequential-simple-rnn', loads: true},
  {fixture: 'k3-sequential-bidirectional', loads: true},
  {fixture: 'k2-functional-initial-state', loads: true},
  {fixture: 'bad-truncated-shard', loads: false},
  {
    fixture: 'k2-sequential-simple-rnn',
    loads: true,
    label: "a converter's folder with another .json beside model.json",
    extra: [{name: 'metadata.json', bytes: Array.from(Buffer.from('{"note": "not a model"}'))}],
  },
  {
    fixture: 'k2-sequential-simple-rnn',
    loads: false,
    label: 'model.json without its shard',
    withoutShards: true,
    says: /shard \S+\.bin is missing/,
  },
];

/** Each op and a result type its documented signature must show. */
const OP_SIGNATURES = [
  ['singleGateRNN', 'SingleGateRNNResult'],
  ['singleGateRNNBidirectional', 'SingleGateRNNBidirectionalResult'],
  ['singleGateConvRNN', 'SingleGateConvRNNResult'],
  ['singleGateConvRNNBidirectional', 'SingleGateConvRNNBidirectionalResult'],
] as const;

interface FirstCall {
  warmUpMs: number | null;
  firstCallMs: number;
}

async function openDemo(browser: Browser, url: string): Promise<{page: Page; errors: string[]}> {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  await page.goto(url);
  await page.waitForSelector('body[data-state="ready"], body[data-state="failed"]', {
    timeout: PAGE_TIMEOUT_MS,
  });
  return {page, errors};
}

async function readFirstCall(page: Page): Promise<FirstCall> {
  const data = await page.$eval('#first-call', (e) => ({...(e as HTMLElement).dataset}));
  return {
    warmUpMs: data.warmUpMs ? Number(data.warmUpMs) : null,
    firstCallMs: Number(data.firstCallMs),
  };
}

type Points = Array<[number, number]>;

async function lineSeries(page: Page): Promise<Record<string, Points>> {
  const entries = await page.$$eval('#sine-chart polyline[data-series]', (lines) =>
    lines.map((l) => [l.getAttribute('data-series') ?? '', l.getAttribute('data-values') ?? '[]']),
  );
  return Object.fromEntries(entries.map(([name, values]) => [name, JSON.parse(values) as Points]));
}

function allFinite(values: readonly number[]): boolean {
  return values.length > 0 && values.every((v) => Number.isFinite(v));
}

/** What the browser offers: a WebGPU adapter (and whether it is a software one), and WebGL 2. */
async function browserHas(page: Page): Promise<{webgpu: boolean; softwareGpu: boolean; webgl: boolean}> {
  return page.evaluate(async () => {
    const gpu = (navigator as Navigator & {gpu?: GPU}).gpu;
    const adapter = gpu == null ? null : await gpu.requestAdapter();
    const info = adapter?.info;
    const name = info == null ? '' : `${info.vendor} ${info.architecture} ${info.description}`;
    return {
      webgpu: adapter != null,
      softwareGpu: /swiftshader|llvmpipe|lavapipe/i.test(name),
      webgl: document.createElement('canvas').getContext('webgl2') != null,
    };
  });
}

async function checkCharts(page: Page, checks: Checks): Promise<void> {
  checks.that('the page finished', (await page.getAttribute('body', 'data-state')) === 'ready');
  const shown = await page.textContent('#backend');
  const has = await browserHas(page);
  const expected = has.webgpu ? 'webgpu' : has.webgl ? 'webgl' : 'wasm';
  checks.that(`the page shows the best backend (${expected})`, shown === expected, `shows '${shown}'`);
  const ranOn = await page.getAttribute('#sine-chart', 'data-ran-on');
  checks.that('#sine-chart ran on the backend shown', ranOn === shown, `ran on '${ranOn}', shows '${shown}'`);

  const raced = ((await page.getAttribute('#race-chart', 'data-backends')) ?? '').split(' ');
  const available = [...(has.webgpu ? ['webgpu'] : []), ...(has.webgl ? ['webgl'] : []), 'wasm', 'cpu'];
  checks.that(
    `the race ran on every backend the browser has (${available.join(', ')})`,
    available.every((b) => raced.includes(b)),
    `raced on ${raced.join(', ')}`,
  );
  const lines = await page.$$eval('#race-summary li', (lis) =>
    lis.map((li) => ({backend: (li as HTMLElement).dataset.backend ?? '', text: li.textContent ?? ''})),
  );
  for (const backend of raced) {
    const line = lines.find((l) => l.backend === backend)?.text ?? '';
    checks.that(
      `the race says how much faster or slower the fused op is on ${backend}, naming it`,
      line.startsWith(`${backend}:`) &&
        /\d+(\.\d)?× (faster|slower) than tf\.layers\.simpleRNN|level with/.test(line),
      line,
    );
  }
  const adapterLine = (await page.textContent('#adapter')) ?? '';
  if (has.softwareGpu) {
    checks.that(
      'on a software adapter the page says so next to the race',
      /software adapter/.test(adapterLine) &&
        (await page.$eval('#adapter', (e) => e.closest('section')?.querySelector('#race-chart') != null)),
      adapterLine,
    );
    await checkSoftwareNote(page, checks);
  } else {
    checks.that('the page names the adapter it runs on', /The page runs on /.test(adapterLine), adapterLine);
  }

  const series = await lineSeries(page);
  const names = Object.keys(series);
  checks.that(
    'the sine chart draws input, truth and prediction',
    ['input window', 'true wave', 'prediction'].every((n) => names.includes(n)),
    names.join(', '),
  );
  const [input, truth, prediction] = [
    series['input window'] ?? [],
    series['true wave'] ?? [],
    series.prediction ?? [],
  ];
  checks.that(
    'every series holds finite points',
    [input, truth, prediction].every((s) => allFinite(s.flat())),
    `${input.length}, ${truth.length}, ${prediction.length} points`,
  );
  checks.that(
    'the prediction covers the steps of the true wave',
    prediction.length === truth.length && prediction.every(([x], i) => x === truth[i][0]),
  );
  checks.that(
    'the prediction starts after the input window',
    truth.length > 0 && truth[0][0] === input.length,
  );

  const race = await page.$$eval('#race-chart [data-series]', (gs) =>
    gs.map((g) => JSON.parse(g.getAttribute('data-values') ?? '[]') as number[]),
  );
  checks.that(
    'the timing chart holds a positive time for both implementations on each backend raced',
    race.length === 2 &&
      race.every((s) => s.length === raced.length && s.every((v) => Number.isFinite(v) && v > 0)),
    JSON.stringify(race),
  );
  await checkChartScreens(page, checks);
  const first = await readFirstCall(page);
  checks.that(
    'the first call and the warm-up are timed',
    first.firstCallMs > 0 && first.warmUpMs != null && first.warmUpMs > 0,
    JSON.stringify(first),
  );
}

async function fixtureFiles(fixture: string): Promise<Array<{name: string; bytes: number[]}>> {
  const folder = join(FIXTURES, fixture);
  const names = (await readdir(folder)).filter((n) => n === 'model.json' || n.endsWith('.bin'));
  return Promise.all(
    names.map(async (name) => ({name, bytes: Array.from(await readFile(join(folder, name)))})),
  );
}

async function main(): Promise<void> {
  const checks = new Checks();
  const server: Server = await serve(join('build', 'web'));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const times: Record<string, FirstCall> = {};
  try {
    // Without warm-up first, in a browser of its own: nothing compiled before.
    let browser = await launchChromium();
    try {
      console.log(`${url}?warmup=off (Chromium ${browser.version()})`);
      const {page, errors} = await openDemo(browser, `${url}?warmup=off`);
      times.without = await readFirstCall(page);
      checks.that('without warm-up: the first call is timed', times.without.firstCallMs > 0);
      checks.that('without warm-up: no console errors', errors.length === 0, errors.join(' | '));
    } finally {
      await browser.close();
    }

    browser = await launchChromium();
    try {
      console.log(url);
      const {page, errors} = await openDemo(browser, url);
      times.with = await readFirstCall(page);
      await checkCharts(page, checks);
      for (const drop of DROPS) {
        await checkDrop(page, drop, await fixtureFiles(drop.fixture), checks, PAGE_TIMEOUT_MS);
      }
      checks.that('no console errors', errors.length === 0, errors.join(' | '));
      const api = await page.request.get(
        new URL((await page.getAttribute('#api-link', 'href')) ?? '', url).href,
      );
      checks.that('the API reference is published with the page', api.ok(), `HTTP ${api.status()}`);
      for (const [op, result] of OP_SIGNATURES) {
        const doc = await page.request.get(
          new URL(`api/functions/tfjs-single-gate-rnn.${op}.html`, url).href,
        );
        const text = doc.ok() ? (await doc.text()).replace(/<[^>]+>/g, '') : '';
        checks.that(
          `the API reference shows ${op}'s call signature and an example`,
          text.includes(`${op}(`) && text.includes(result) && /Example/.test(text),
          doc.ok() ? `no '${op}(' with ${result}, or no example` : `HTTP ${doc.status()}`,
        );
      }
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
  }
  const backendNote = '(first prediction of the sine model, [1, 24, 1])';
  console.log(`first call without warm-up: ${times.without?.firstCallMs.toFixed(1)} ms ${backendNote}`);
  console.log(
    `with warm-up: warmUp ${times.with?.warmUpMs?.toFixed(1)} ms, then the first call ${times.with?.firstCallMs.toFixed(1)} ms`,
  );
  checks.finish();
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
