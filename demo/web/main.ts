/**
 * The demo page: picks the best backend, loads the bundled sine model, draws its continuation of a
 * wave, races it against tf.layers.simpleRNN, and reports on a Keras model dropped on the page.
 *
 * Every result lands in the DOM with its figures in data attributes (`data-ran-on`, the charts'
 * `data-values`), which is what test/page/run.ts reads. `?warmup=off` skips the warm-up, to show what
 * the first prediction costs without it.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

// The package registers its kernels and layer class when imported.
import {warmUp} from '../../src/index.js';
import {median, simpleRNNTwin, speedPhrase, timeOnce} from '../compare.js';
import {makeWaves, WINDOW} from '../sine.js';
import {adapterOf, BACKENDS, pickBackend, startBackend} from './backend.js';
import {droppedFiles} from './dropped_files.js';
import {reportOnFiles, type ModelReport} from './model_report.js';
import {barChart, escapeXml, lineChart} from './svg_charts.js';

/** Steps the model continues the wave on its own, feeding back its predictions. */
const CONTINUE = 48;
/** The race: a batch of waves this long, TIMING_ROUNDS interleaved rounds after one untimed round. */
const [RACE_BATCH, RACE_STEPS, TIMING_ROUNDS] = [16, 50, 5];
/** The bundled sine model, beside the page. */
const MODEL_URL = 'model/model.json';
const COLORS = {input: '#555', truth: '#2a9d8f', prediction: '#e76f51', ours: '#e76f51', theirs: '#6c757d'};

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found == null) throw new Error(`the page has no #${id}`);
  return found;
}

function show(id: string, html: string): void {
  element(id).innerHTML = html;
}

/** Shows a failure on the page (and in the console, so the page test sees it). */
function fail(section: string, e: unknown): void {
  console.error(`${section}:`, e);
  const box = element('errors');
  box.hidden = false;
  box.textContent += `${section}: ${(e as Error).message ?? String(e)}\n`;
}

/** Warm-up (unless ?warmup=off), then the first real prediction, both timed. */
async function firstCall(model: tfl.LayersModel, x: tf.Tensor): Promise<void> {
  const skip = new URLSearchParams(location.search).get('warmup') === 'off';
  const warm = skip ? null : await warmUp(model, x.shape);
  const firstMs = await timeOnce(() => model.predict(x) as tf.Tensor);
  const target = element('first-call');
  target.dataset.warmUpMs = warm == null ? '' : String(warm.ms);
  target.dataset.firstCallMs = String(firstMs);
  target.textContent =
    warm == null
      ? `First prediction without warm-up: ${firstMs.toFixed(1)} ms (compiles its pipelines).`
      : `warmUp took ${warm.ms.toFixed(1)} ms; the first prediction then took ${firstMs.toFixed(1)} ms ` +
        `(?warmup=off shows it without).`;
}

/** The model continues a wave on its own; drawn with the window it saw and the true wave. */
async function sineSection(model: tfl.LayersModel): Promise<void> {
  const waves = makeWaves(1, 2024, WINDOW + CONTINUE);
  const wave = Array.from(await waves.windows.data());
  tf.dispose([waves.windows, waves.next]);
  const window = wave.slice(0, WINDOW);
  const predicted: number[] = [];
  for (let k = 0; k < CONTINUE; k++) {
    const y = tf.tidy(() => model.predict(tf.tensor3d(window, [1, WINDOW, 1])) as tf.Tensor);
    const next = (await y.data())[0];
    y.dispose();
    predicted.push(next);
    window.shift();
    window.push(next);
  }
  const ranOn = tf.getBackend();
  const at = (values: number[], offset: number) => values.map((v, t) => [offset + t, v] as const);
  show(
    'sine-chart',
    lineChart({
      title: `The model continues a sine wave (frequency ${waves.params[0].omega.toFixed(3)})`,
      xLabel: 'time step',
      yLabel: 'value',
      series: [
        {name: 'input window', color: COLORS.input, points: at(wave.slice(0, WINDOW), 0)},
        {name: 'true wave', color: COLORS.truth, points: at(wave.slice(WINDOW), WINDOW), dashed: true},
        {name: 'prediction', color: COLORS.prediction, points: at(predicted, WINDOW)},
      ],
    }),
  );
  element('sine-chart').dataset.ranOn = ranOn;
}

/** Median times of both models on one backend, interleaved rounds after one untimed round. */
async function raceOn(
  model: tfl.LayersModel,
  twin: tfl.LayersModel,
  x: tf.Tensor,
): Promise<[number, number]> {
  const [ours, theirs]: number[][] = [[], []];
  for (let round = 0; round <= TIMING_ROUNDS; round++) {
    const a = await timeOnce(() => model.predict(x) as tf.Tensor);
    const b = await timeOnce(() => twin.predict(x) as tf.Tensor);
    if (round === 0) continue; // compiles pipelines
    ours.push(a);
    theirs.push(b);
  }
  return [median(ours), median(theirs)];
}

/** What runs a backend: the adapter, and a warning when it is emulated on the CPU. */
async function hardwareNote(backend: string): Promise<{text: string; software: boolean}> {
  const adapter = await adapterOf(backend);
  if (adapter == null) return {text: 'on the CPU', software: false};
  return adapter.software
    ? {text: `on ${adapter.description}, a software adapter (the GPU is emulated on the CPU)`, software: true}
    : {text: `on ${adapter.description}`, software: false};
}

/**
 * The race on every backend this browser has (webgpu, webgl, wasm, cpu), then back to the page's
 * backend; the chart and the summary are redrawn after each backend. Each backend loads the model
 * afresh, so no tensor moves between backends.
 */
async function raceSection(home: string): Promise<void> {
  const chart = element('race-chart');
  const summary = element('race-summary');
  const button = element('run-race') as HTMLButtonElement;
  button.disabled = true;
  const ran: Array<{backend: string; ours: number; theirs: number}> = [];
  summary.innerHTML = '';
  try {
    for (const candidate of BACKENDS) {
      const why = await startBackend(candidate);
      const item = document.createElement('li');
      item.dataset.backend = candidate.name;
      summary.append(item);
      if (why != null) {
        item.textContent = `${candidate.name}: not available here (${why})`;
        continue;
      }
      const model = await tfl.loadLayersModel(MODEL_URL);
      const twin = simpleRNNTwin(model);
      const x = makeWaves(RACE_BATCH, 7, RACE_STEPS);
      let ours: number, theirs: number;
      try {
        [ours, theirs] = await raceOn(model, twin, x.windows);
      } finally {
        tf.dispose([x.windows, x.next]);
        model.dispose();
        twin.dispose();
      }
      const note = await hardwareNote(candidate.name);
      ran.push({backend: candidate.name, ours, theirs});
      item.dataset.ratio = String(theirs / ours);
      item.dataset.software = String(note.software);
      item.innerHTML =
        `<strong>${candidate.name}</strong>: SingleGateRNN is ${speedPhrase(ours, theirs)} ` +
        `(${ours.toFixed(1)} against ${theirs.toFixed(1)} ms) ` +
        `<span class="${note.software ? 'software' : ''}">${escapeXml(note.text)}</span>`;
      chart.innerHTML = barChart({
        title: `Batch ${RACE_BATCH} × ${RACE_STEPS} steps: median of ${TIMING_ROUNDS} rounds per backend`,
        categories: ran.map((r) => r.backend),
        series: [
          {name: 'SingleGateRNN (fused op)', color: COLORS.ours, values: ran.map((r) => r.ours)},
          {name: 'tf.layers.simpleRNN', color: COLORS.theirs, values: ran.map((r) => r.theirs)},
        ],
        format: (v) => `${v.toFixed(1)} ms`,
      });
      chart.dataset.backends = ran.map((r) => r.backend).join(' ');
    }
  } finally {
    await tf.setBackend(home);
    button.disabled = false;
  }
}

/** The adapter line at the top of the race: which GPU the page's backend runs on. */
async function showAdapter(backend: string): Promise<void> {
  const note = await hardwareNote(backend);
  const target = element('adapter');
  target.textContent =
    `The page runs on ${backend}, ${note.text}.` +
    (note.software ? ' Timings on an emulated GPU say little about a real one.' : '');
  target.className = note.software ? 'software' : '';
  target.dataset.software = String(note.software);
}

function reportHtml(report: ModelReport): string {
  const rows = report.layers
    .map(
      (l) =>
        `<tr data-on-op="${l.onOp}"><td>${escapeXml(l.name)}</td><td>${escapeXml(l.className)}</td>` +
        `<td>${escapeXml(l.outputShape)}</td><td>${l.onOp ? 'singleGateRNN op' : ''}</td></tr>`,
    )
    .join('');
  const outputs = report.outputs
    .map((o, i) => {
      const shown = o.values.slice(0, 8).map((v) => v.toFixed(4));
      const more = o.values.length > shown.length ? `, … (${o.values.length} values)` : '';
      return `<li data-shape="${JSON.stringify(o.shape)}">output ${i} [${o.shape.join(', ')}]: ${shown.join(', ')}${more}</li>`;
    })
    .join('');
  const inspection =
    report.inspection == null ? '' : `<pre class="inspection">${escapeXml(report.inspection)}</pre>`;
  return (
    inspection +
    `<table><thead><tr><th>layer</th><th>class</th><th>output shape</th><th>runs on</th></tr></thead>` +
    `<tbody>${rows}</tbody></table>` +
    `<p>For a random input of shape ${report.inputShapes.map((s) => `[${s.join(', ')}]`).join(', ')}:</p>` +
    `<ul class="outputs">${outputs}</ul>`
  );
}

/** Dropped or chosen files: load them as a Keras model and show the report. */
async function handleFiles(files: readonly File[]): Promise<void> {
  const target = element('model-report');
  target.dataset.state = 'loading';
  target.textContent = `Loading ${files.map((f) => f.name).join(', ')} …`;
  try {
    const {model, report} = await reportOnFiles(files);
    model.dispose();
    target.innerHTML = reportHtml(report);
    target.dataset.ranOn = tf.getBackend();
    target.dataset.state = 'done';
  } catch (e) {
    target.innerHTML = '';
    const box = document.createElement('p');
    box.className = 'error';
    box.setAttribute('role', 'alert');
    box.textContent = `Could not load the model: ${(e as Error).message}`;
    target.append(box);
    target.dataset.state = 'failed';
  }
}

function setUpDropZone(): void {
  const zone = element('drop-zone');
  const input = element('model-files') as HTMLInputElement;
  zone.addEventListener('dragover', (e) => {
    e.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    void droppedFiles(e.dataTransfer).then(handleFiles);
  });
  input.addEventListener('change', () => void handleFiles(Array.from(input.files ?? [])));
}

async function main(): Promise<void> {
  setUpDropZone();
  const picked = await pickBackend();
  const shown = element('backend');
  shown.textContent = picked.name;
  shown.dataset.backend = picked.name;
  if (picked.skipped.length > 0)
    element('backend-skipped').textContent = `(passed over: ${picked.skipped.join('; ')})`;

  const model = await tfl.loadLayersModel(MODEL_URL);
  const x = tf.zeros([1, WINDOW, 1]);
  try {
    await firstCall(model, x);
  } finally {
    x.dispose();
  }
  await sineSection(model);
  await showAdapter(picked.name);
  element('run-race').addEventListener(
    'click',
    () => void raceSection(picked.name).catch((e) => fail('timing', e)),
  );
  await raceSection(picked.name);
  document.body.dataset.state = 'ready';
}

main().catch((e: unknown) => {
  fail('demo', e);
  document.body.dataset.state = 'failed';
});
