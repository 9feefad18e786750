/**
 * A karma reporter that judges the run as a whole. Karma alone exits 0 when a browser never started or
 * loaded a bundle that registered no tests (for example, every spec of a backend skipped itself), so a
 * "green" run could have tested nothing in one browser. This reporter fails the run in those cases and
 * prints, last, a per-browser summary and one line `N passed, N failed[, N skipped]` for CI to read.
 *
 * karma.conf.js passes this module's default export in `plugins` as an object, so karma needs no
 * require() of it by name.
 */

/** Counts for one connected browser, keyed by karma's browser id. */
function emptyCounts(name) {
  return {name, passed: 0, failed: 0, skipped: 0};
}

function RunSummaryReporter(config, emitter) {
  const expectedBrowsers = config.browsers || [];
  /** @type {Map<string, {name: string, passed: number, failed: number, skipped: number}>} */
  const counts = new Map();
  /** Launcher names that karma gave up starting. */
  const launchFailures = [];
  let failRun = false;

  const countsFor = (browser) => {
    if (!counts.has(browser.id)) counts.set(browser.id, emptyCounts(browser.name));
    return counts.get(browser.id);
  };

  emitter.on('browser_process_failure', (launcher) => {
    launchFailures.push(launcher.displayName || launcher.name);
  });

  this.onBrowserStart = (browser) => {
    // A browser that restarts after a disconnect runs the whole suite again; count the last run only.
    counts.set(browser.id, emptyCounts(browser.name));
  };

  this.onSpecComplete = (browser, result) => {
    const c = countsFor(browser);
    if (result.skipped) c.skipped++;
    else if (result.success) c.passed++;
    else c.failed++;
  };

  this.onRunComplete = (browsers) => {
    const problems = [];
    const lines = [];
    browsers.forEach((browser) => {
      const c = countsFor(browser);
      const state = browser.lastResult;
      let note = '';
      if (state.disconnected) note = ' (disconnected)';
      else if (state.error) note = ' (error outside the tests, see above)';
      lines.push(`  ${c.name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped${note}`);
      if (c.passed + c.failed === 0) problems.push(`${c.name} executed no tests`);
    });
    for (const name of launchFailures) {
      lines.push(`  ${name}: failed to launch`);
      problems.push(`${name} failed to launch`);
    }
    const connected = browsers.length;
    if (connected + launchFailures.length < expectedBrowsers.length) {
      problems.push(
        `only ${connected} of ${expectedBrowsers.length} browsers (${expectedBrowsers.join(', ')}) connected`,
      );
    }

    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const c of counts.values()) {
      passed += c.passed;
      failed += c.failed;
      skipped += c.skipped;
    }
    failRun = problems.length > 0;

    const out = ['', 'Results by browser:', ...lines];
    for (const problem of problems) out.push(`RUN FAILED: ${problem}`);
    out.push(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`, '');
    process.stdout.write(out.join('\n'));
  };

  // Karma computes its exit code before reporters can change the results object; a non-zero code
  // handed to an 'exit' listener's callback is how a plugin overrides it.
  this.onExit = (done) => {
    done(failRun ? 1 : 0);
  };
}

RunSummaryReporter.$inject = ['config', 'emitter'];

export default {'reporter:run-summary': ['type', RunSummaryReporter]};
