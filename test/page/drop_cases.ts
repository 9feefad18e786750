/**
 * Drops a fixture Keras model on the demo page's drop zone (a real `drop` event carrying `File`s, the
 * path a user's drop takes) and checks the report against the fixture's own model.json and
 * expected.json.
 */
import {readFile} from 'node:fs/promises';
import {join} from 'node:path';

import type {Page} from 'playwright-core';

import type {Checks} from './checks.js';
import {checkErrorScreen} from './screens.js';

export interface DropCase {
  fixture: string;
  /** false: the fixture is broken on purpose and the page must say it could not load it. */
  loads: boolean;
  /** What this drop tries, shown in the checks' names (default: the fixture's files). */
  label?: string;
  /** Files dropped beside the fixture's, as a converter's folder may hold (another .json, say). */
  extra?: Array<{name: string; bytes: number[]}>;
  /** Drop model.json alone, without its shards. */
  withoutShards?: boolean;
  /** For a drop that fails: what the message must say. */
  says?: RegExp;
}

interface LayerJson {
  class_name: string;
  config: {name: string; layer?: LayerJson};
}

/** Names of the fixture's layers that should run on the op: SimpleRNN, alone or in Bidirectional. */
async function simpleRNNLayers(folder: string): Promise<{all: string[]; onOp: string[]}> {
  const json = JSON.parse(await readFile(join(folder, 'model.json'), 'utf8')) as {
    modelTopology: {model_config?: {config: {layers: LayerJson[]}}; config?: {layers: LayerJson[]}};
  };
  const topology = json.modelTopology.model_config ?? json.modelTopology;
  const layers = (topology.config?.layers ?? []).filter((l) => l.class_name !== 'InputLayer');
  const isRnn = (l: LayerJson): boolean =>
    l.class_name === 'SimpleRNN' ||
    (l.class_name === 'Bidirectional' && l.config.layer?.class_name === 'SimpleRNN');
  return {all: layers.map((l) => l.config.name), onOp: layers.filter(isRnn).map((l) => l.config.name)};
}

export async function checkDrop(
  page: Page,
  drop: DropCase,
  fixtureFiles: Array<{name: string; bytes: number[]}>,
  checks: Checks,
  timeoutMs: number,
): Promise<void> {
  const folder = join('test', 'fixtures', 'keras', drop.fixture);
  const files = [
    ...fixtureFiles.filter((f) => !drop.withoutShards || f.name === 'model.json'),
    ...(drop.extra ?? []),
  ];
  const label = drop.label ?? drop.fixture;
  // Each drop waits for its own report: the attribute is reset first.
  await page.$eval('#model-report', (e) => (e as HTMLElement).removeAttribute('data-state'));
  await page.evaluate((dropped) => {
    const transfer = new DataTransfer();
    for (const f of dropped) transfer.items.add(new File([new Uint8Array(f.bytes)], f.name));
    const zone = document.getElementById('drop-zone');
    zone?.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
  }, files);
  await page.waitForSelector('#model-report[data-state="done"], #model-report[data-state="failed"]', {
    timeout: timeoutMs,
  });
  const state = await page.getAttribute('#model-report', 'data-state');
  const text = (await page.textContent('#model-report')) ?? '';
  if (!drop.loads) {
    checks.that(`${label}: the page says it could not load it`, state === 'failed', text);
    if (drop.says != null) checks.that(`${label}: the message says ${drop.says}`, drop.says.test(text), text);
    if (state === 'failed') await checkErrorScreen(page, checks, `${label}'s failure`);
    return;
  }
  checks.that(`${label}: loads through the drop zone`, state === 'done', text);
  if (state !== 'done') return;

  const rows = await page.$$eval('#model-report tbody tr', (trs) =>
    trs.map((tr) => ({
      name: tr.querySelector('td')?.textContent ?? '',
      onOp: tr.getAttribute('data-on-op') === 'true',
    })),
  );
  const expected = await simpleRNNLayers(folder);
  const listed = rows.map((r) => r.name);
  checks.that(
    `${label}: lists every layer of the model`,
    expected.all.every((n) => listed.includes(n)),
    `listed ${listed.join(', ')}; model.json has ${expected.all.join(', ')}`,
  );
  const onOp = rows.filter((r) => r.onOp).map((r) => r.name);
  checks.that(
    `${label}: marks exactly its SimpleRNNs as running on the op`,
    onOp.length === expected.onOp.length && expected.onOp.every((n) => onOp.includes(n)),
    `marked ${onOp.join(', ') || 'none'}; SimpleRNNs ${expected.onOp.join(', ')}`,
  );

  const reference = JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8')) as {
    runs: Array<{outputs: Array<{shape: number[]}>}>;
  };
  // The page feeds one random example: the reference's output shapes with batch 1.
  const shapes = reference.runs[0].outputs.map((o) => JSON.stringify([1, ...o.shape.slice(1)]));
  const outputs = await page.$$eval('#model-report .outputs li', (lis) =>
    lis.map((li) => ({shape: li.getAttribute('data-shape') ?? '', text: li.textContent ?? ''})),
  );
  checks.that(
    `${label}: shows an output of each expected shape`,
    outputs.length === shapes.length && outputs.every((o, i) => o.shape === shapes[i]),
    `got ${outputs.map((o) => o.shape).join(' ')}, expected ${shapes.join(' ')}`,
  );
  checks.that(
    `${label}: the outputs are numbers`,
    outputs.every((o) => !/NaN|Infinity/.test(o.text) && /\d/.test(o.text)),
    outputs.map((o) => o.text).join(' | '),
  );
}
