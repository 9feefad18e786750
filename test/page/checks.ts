/** A tally of named checks: the page test fails on any failure, and when it ran none. */
export class Checks {
  private passed = 0;
  private readonly failures: string[] = [];

  /** Records `what`; `detail` says what was found, shown when it fails. */
  that(what: string, ok: boolean, detail = ''): void {
    if (ok) {
      this.passed++;
      console.log(`  ok   ${what}`);
    } else {
      this.failures.push(`${what}${detail ? `: ${detail}` : ''}`);
      console.log(`  FAIL ${what}${detail ? `: ${detail}` : ''}`);
    }
  }

  /** Throws unless every check passed and at least one ran. */
  finish(): void {
    const line = `${this.passed} passed, ${this.failures.length} failed`;
    if (this.passed + this.failures.length === 0) throw new Error('the page test ran no checks');
    if (this.failures.length > 0) throw new Error(`${line}:\n  ${this.failures.join('\n  ')}`);
    console.log(line);
  }
}
