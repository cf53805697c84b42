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

/** The R4 types a choice element (`value[x]`) may take, as they end its JSON name (`valueDateTime`). */
const CHOICE_TYPES = [
  'Base64Binary', 'Boolean', 'Canonical', 'Code', 'Date', 'DateTime', 'Decimal', 'Id', 'Instant', 'Integer', 'Markdown', 'Oid',
  'PositiveInt', 'String', 'Time', 'UnsignedInt', 'Uri', 'Url', 'Uuid', 'Address', 'Age', 'Annotation', 'Attachment',
  'CodeableConcept', 'Coding', 'ContactPoint', 'Count', 'Distance', 'Duration', 'HumanName', 'Identifier', 'Money', 'Period',
  'Quantity', 'Range', 'Ratio', 'Reference', 'SampledData', 'Signature', 'Timing', 'ContactDetail', 'Contributor',
  'DataRequirement', 'Expression', 'ParameterDefinition', 'RelatedArtifact', 'TriggerDefinition', 'UsageContext', 'Dosage', 'Meta',
];
const CHOICE_NAME = new RegExp(`\\.([a-z][A-Za-z0-9]*?)(?:${CHOICE_TYPES.join('|')})(?=[.[]|$)`, 'g');

/**
 * A location in one notation for both validators. Besides the annotations and `.ofType()` (conformance-
 * expression.ts) and `[0]`: a choice element is named without its type (`value[x]`, `valueQuantity` and
 * `value.ofType(Quantity)` are all `value`), since where two types are given or the type is wrong, one names
 * the property and the other the element; `[url='…']` filters on extensions are dropped. A name that merely
 * ends like a type (`birthDate`) loses it on both sides alike, so no two sibling elements are confused.
 */
export function location(expression: string | undefined): string {
  return normaliseExpression(expression ?? '')
    .replace(/\[url='[^']*'\]/g, '')
    .replace(/\[x\]/g, '')
    .replace(CHOICE_NAME, '.$1')
    .replace(/\[0\]/g, '');
}

/**
 * Where an issue points. The reference validator reports an unknown property on the element holding it, with
 * the property's name in its message ("Unrecognized property 'foo'"); ours on the property itself.
 */
export function issueLocation(i: JudgedIssue): string {
  const unknown = /^Unrecogni[sz]ed property '([^']+)'/.exec(i.message ?? '');
  return location(unknown ? `${i.expression ?? ''}.${unknown[1]}` : i.expression);
}

const errorLocations = (issues: JudgedIssue[]) => new Set(issues.filter(isError).map(issueLocation));

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
