/** The JSON a converted model.json holds, and the helpers every topology rule reads it with. */

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A name field as a string; configs from a file may hold anything there. */
export function nameOf(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/** A value as errors quote it, cut to 120 characters. */
export function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
