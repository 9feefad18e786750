/**
 * The loop of the Node test runners: each case run in turn, one "ok" or "FAIL" line per case with the
 * failure's message indented under it, then "N passed, N failed" and the exit status (non-zero on any
 * failure).
 */
export interface NodeCase {
  name: string;
}

/** Runs `cases` through `run` (each after `onStart`, if given), prints the lines, exits. */
export async function runCasesAndExit<C extends NodeCase>(
  cases: readonly C[],
  run: (c: C) => Promise<void>,
  onStart?: (c: C) => void,
): Promise<never> {
  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    onStart?.(c);
    try {
      await run(c);
      passed++;
      console.log(`  ok    ${c.name}`);
    } catch (e) {
      failed++;
      console.log(`  FAIL  ${c.name}\n        ${(e as Error).message.split('\n').join('\n        ')}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}
