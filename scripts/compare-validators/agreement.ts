/**
 * How far two validators agree (issue #14): per category and overall, the verdict (any error or fatal, or
 * none) and, where both find errors, whether they share a location. Locations are compared after bringing the
 * two notations together: the reference validator's `/*Type/id*\/` annotations and `.ofType(T)` choices
 * (conformance-expression.ts), and `[0]`, which it writes on repeating elements where ours may not.
 */
import { normaliseExpression } from '../conformance-expression.js';

export interface JudgedIssue {
  severity: string;
  expression?: string;
  message?: string;
}

/** One resource, as both validators judged it. */
export interface Judged {
  key: string;
  category: string;
  ours: JudgedIssue[];
  theirs: JudgedIssue[];
}

export interface Agreement {
  category: string;
  resources: number;
  verdictAgrees: number;
  /** Resources where both find errors, and those of them sharing an error location. */
  bothErrors: number;
  locationAgrees: number;
}

export const isError = (i: JudgedIssue) => i.severity === 'error' || i.severity === 'fatal';

export function location(expression: string | undefined): string {
  return normaliseExpression(expression ?? '').replace(/\[0\]/g, '');
}

const errorLocations = (issues: JudgedIssue[]) => new Set(issues.filter(isError).map((i) => location(i.expression)));

/** What one resource contributes: whether the verdicts agree, and (both finding errors) whether a location is shared. */
export function judge(j: Judged): { verdict: boolean; location?: boolean } {
  const ours = errorLocations(j.ours);
  const theirs = errorLocations(j.theirs);
  const verdict = ours.size > 0 === theirs.size > 0;
  if (ours.size === 0 || theirs.size === 0) return { verdict };
  return { verdict, location: [...ours].some((l) => theirs.has(l)) };
}

/** Agreement per category (sorted by name), then overall under the category `all`. */
export function agreement(results: Judged[]): Agreement[] {
  const by = new Map<string, Agreement>();
  const add = (category: string, r: ReturnType<typeof judge>) => {
    const a = by.get(category) ?? { category, resources: 0, verdictAgrees: 0, bothErrors: 0, locationAgrees: 0 };
    a.resources++;
    if (r.verdict) a.verdictAgrees++;
    if (r.location !== undefined) a.bothErrors++;
    if (r.location) a.locationAgrees++;
    by.set(category, a);
  };
  for (const j of results) {
    const r = judge(j);
    add(j.category, r);
    add('all', r);
  }
  const all = by.get('all');
  by.delete('all');
  return [...[...by.values()].sort((a, b) => a.category.localeCompare(b.category)), ...(all ? [all] : [])];
}

export const share = (n: number, of: number): number | null => (of === 0 ? null : n / of);
