/**
 * `_summary` and `_elements`: a resource cut down to some of its top-level elements. Mandatory elements
 * (min ≥ 1 in R4), `id` and `meta` always stay, and the result is tagged SUBSETTED in `meta.tag` so that
 * nobody mistakes it for the whole resource (and writes it back).
 * Summary elements come from schemas/fhir-summary-elements.json (scripts/derive-summary-elements.ts); only
 * the top level is cut, nested non-summary elements stay.
 * @see https://hl7.org/fhir/R4/search.html#summary
 * @see https://hl7.org/fhir/R4/search.html#elements
 */
import { readFileSync } from 'node:fs';
import type { Coding, Resource } from 'fhir/r4.js';
import { typeDefinition } from '../validation/element-definitions.js';

export type SummaryMode = 'true' | 'text' | 'data' | 'count' | 'false';

export const SUMMARY_MODES: readonly SummaryMode[] = ['true', 'text', 'data', 'count', 'false'];

export const SUBSETTED: Coding = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED', display: 'subsetted' };

let summaryElements: Record<string, string[]> | undefined;

function summaryOf(type: string): Set<string> {
  summaryElements ??= JSON.parse(readFileSync(new URL('../../schemas/fhir-summary-elements.json', import.meta.url), 'utf8')) as Record<string, string[]>;
  return new Set(summaryElements[type] ?? []);
}

/** The element a JSON property holds: `value[x]` for `valueQuantity`, `birthDate` for `_birthDate`. */
function elementOf(type: string, key: string): string {
  const name = key.startsWith('_') ? key.slice(1) : key;
  return typeDefinition(type)?.properties.get(name)?.element ?? name;
}

function mandatory(type: string): Set<string> {
  return new Set((typeDefinition(type)?.required ?? []).map((r) => r.element).concat(['id', 'meta']));
}

function keep<T extends Resource>(resource: T, wanted: (element: string) => boolean): T {
  const type = resource.resourceType;
  const always = mandatory(type);
  const result: Record<string, unknown> = { resourceType: type };
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'resourceType') continue;
    const element = elementOf(type, key);
    if (always.has(element) || wanted(element)) result[key] = value;
  }
  const meta = resource.meta ?? {};
  const tags = (meta.tag ?? []).filter((t) => !(t.system === SUBSETTED.system && t.code === SUBSETTED.code));
  result.meta = { ...meta, tag: [...tags, SUBSETTED] };
  return result as T;
}

/** `_summary`: `true` summary elements, `text` text and mandatory ones, `data` all but text; else unchanged. */
export function summarise<T extends Resource>(resource: T, mode: SummaryMode): T {
  if (mode === 'true') {
    const summary = summaryOf(resource.resourceType);
    return keep(resource, (element) => summary.has(element));
  }
  if (mode === 'text') return keep(resource, (element) => element === 'text');
  if (mode === 'data') return keep(resource, (element) => element !== 'text');
  return resource;
}

/**
 * `_elements=a,b`: the listed top-level elements. A name may carry its type (`Patient.name`, as some
 * clients send) and a choice may be named without `[x]` (`value`).
 */
export function selectElements<T extends Resource>(resource: T, names: readonly string[]): T {
  const type = resource.resourceType;
  const wanted = new Set(names.map((n) => (n.startsWith(`${type}.`) ? n.slice(type.length + 1) : n)));
  return keep(resource, (element) => wanted.has(element) || (element.endsWith('[x]') && wanted.has(element.slice(0, -3))));
}
