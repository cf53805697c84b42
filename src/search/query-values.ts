/**
 * Lexical pieces of search parameter values: escaping (`\,` `\|` `\$` `\\`), comparison prefixes and the
 * implicit precision range of a number (`100` is [99.5, 100.5), `1e2` is [50, 150)).
 * @see https://hl7.org/fhir/R4/search.html#escaping
 * @see https://hl7.org/fhir/R4/search.html#prefix
 * @see https://hl7.org/fhir/R4/search.html#number
 */
import type { Prefix } from './types.js';

/** Splits on `separator` where it is not escaped by a backslash; the escapes stay in the parts. */
export function splitUnescaped(value: string, separator: ',' | '|'): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') i++;
    else if (c === separator) {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}

/** Removes the escaping backslashes (`a\,b` → `a,b`). */
export function unescapeValue(value: string): string {
  return value.includes('\\') ? value.replace(/\\(.)/g, '$1') : value;
}

const PREFIXES = new Set<string>(['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb', 'ap']);

/** Separates a leading prefix (`ge2020` → ge, `2020`); `eq` when there is none. */
export function splitPrefix(value: string): { prefix: Prefix; rest: string } {
  const head = value.slice(0, 2);
  if (PREFIXES.has(head) && value.length > 2 && !/[a-z]/.test(value[2])) return { prefix: head as Prefix, rest: value.slice(2) };
  return { prefix: 'eq', rest: value };
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** A number as the range its precision implies, or null when it is not a FHIR search number. */
export function numberRange(text: string): { lo: number; hi: number } | null {
  const m = DECIMAL.exec(text);
  if (m === null) return null;
  const value = Number(text);
  if (!Number.isFinite(value)) return null;
  const decimals = m[3]?.length ?? 0;
  const exponent = m[4] === undefined ? 0 : Number(m[4]);
  const half = 0.5 * 10 ** (exponent - decimals);
  // Rounded to 15 significant digits so that 5.4 gives [5.35, 5.45), not 5.3500000000000005.
  return { lo: Number((value - half).toPrecision(15)), hi: Number((value + half).toPrecision(15)) };
}
