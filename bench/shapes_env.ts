/** Benchmark shapes from an environment variable: a JSON list of [batch, time, inputs, units]. */

export type Shape = [batch: number, time: number, inputs: number, units: number];

/**
 * The shapes in `process.env[name]`, or `fallback` where it is unset; throws, naming the variable, where
 * it is unset with no fallback or is not a list of four positive integers per shape.
 */
export function shapesFromEnv(name: string, fallback: Shape[] | null): Shape[] {
  const text = process.env[name];
  if (text == null || text === '') {
    if (fallback != null) return fallback;
    throw new Error(`${name}: expected a JSON list of [batch, time, inputs, units], got nothing`);
  }
  const parsed: unknown = JSON.parse(text);
  const valid =
    Array.isArray(parsed) &&
    parsed.every(
      (s: unknown) =>
        Array.isArray(s) &&
        s.length === 4 &&
        s.every((d: unknown) => Number.isInteger(d) && (d as number) > 0),
    );
  if (!valid) throw new Error(`${name}: expected a JSON list of [batch, time, inputs, units], got ${text}`);
  return parsed as Shape[];
}
