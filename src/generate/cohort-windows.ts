/**
 * Time windows of a cohort spec as epoch-ms intervals [from, to): `after` (inclusive) and `before`
 * (exclusive) whole UTC days, or the last N calendar years before the reference date (the same month and day,
 * so "the last 5 years" from 2025-01-01 starts on 2020-01-01, as a search `ge2020-01-01` reads it).
 * Nothing happens after the reference date, so a window is cut there, and one that starts there or later
 * is refused.
 */
import { badRequest } from '../fhir/outcomes.js';
import { date, parseDate } from './clock.js';
import type { WindowSpec } from './cohort-spec.js';

export interface Interval {
  from: number;
  to: number;
}

/** The same month and day `years` calendar years before `t` (29 February falls on 1 March). */
function yearsBefore(t: number, years: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear() - years, d.getUTCMonth(), d.getUTCDate());
}

export const show = (t: number) => (Number.isFinite(t) ? date(t) : t < 0 ? 'birth' : 'the reference date');

/** `window` (at `path`, e.g. `cohort.conditions[0].onset`) as an interval; the whole life up to `ref` when absent. */
export function windowOf(window: WindowSpec | undefined, path: string, ref: number): Interval {
  if (!window) return { from: -Infinity, to: ref };
  const day = (key: 'after' | 'before') => {
    const value = window[key];
    if (value === undefined) return undefined;
    const t = parseDate(value);
    if (Number.isNaN(t)) throw badRequest(`${path}.${key} must be a real date YYYY-MM-DD, got "${value}"`, `${path}.${key}`);
    return t;
  };
  if (window.lastYears !== undefined && window.after !== undefined) {
    throw badRequest(`${path}: give "after" or "lastYears", not both`, `${path}.lastYears`);
  }
  const key = window.lastYears !== undefined ? 'lastYears' : 'after';
  const from = window.lastYears !== undefined ? yearsBefore(ref, window.lastYears) : day('after') ?? -Infinity;
  const before = day('before');
  if (from >= ref) throw badRequest(`${path}.${key}: the window starts ${date(from)}, not before the reference date ${date(ref)}: it is in the future`, `${path}.${key}`);
  if (before !== undefined && before <= from) throw badRequest(`${path}: "before" (${date(before)}) must be later than the start (${show(from)}): the window is empty`, `${path}.before`);
  return { from, to: Math.min(before ?? ref, ref) };
}

/** The overlap of two intervals, or undefined when they do not meet. */
export function overlap(a: Interval, b: Interval): Interval | undefined {
  const from = Math.max(a.from, b.from);
  const to = Math.min(a.to, b.to);
  return from < to ? { from, to } : undefined;
}
