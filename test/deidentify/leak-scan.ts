/**
 * The tests' own view of de-identified output, written apart from src/deidentify so that it does not share the
 * engine's blind spots: the identifying strings of the sources (names, identifier values, telecom values,
 * address lines and cities, resource ids) looked for as whole substrings of the output's string values, the
 * dates of the output, birth-to-encounter intervals, and references no stored resource answers.
 */
import type { Deidentifier } from '../../src/deidentify/deidentifier.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { referenceLinks } from '../../src/search/reference-links.js';

type Json = Record<string, unknown>;

const MAIDEN_NAME = 'http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName';

function visit(node: unknown, each: (o: Json, key: string | undefined) => void, key?: string): void {
  if (Array.isArray(node)) for (const item of node) visit(item, each, key);
  else if (node !== null && typeof node === 'object') {
    each(node as Json, key);
    for (const [k, v] of Object.entries(node as Json)) visit(v, each, k);
  }
}

const texts = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string');

/** Every identifying string of the source documents (Bundles or resources), those of 4 characters or more. */
export function sourceStrings(documents: unknown[]): Set<string> {
  const found = new Set<string>();
  const add = (values: string[]) => values.forEach((v) => v.length >= 4 && !/^\d{4}$/.test(v) && found.add(v));
  for (const document of documents) {
    visit(document, (o, key) => {
      if (typeof o.resourceType === 'string' && key !== 'contained') add(texts(o.id));
      if ('family' in o || 'given' in o) add([...texts(o.family), ...texts(o.given)]);
      if (key === 'identifier' || key === 'telecom') add(texts(o.value));
      if ('line' in o) add(texts(o.line));
      // A city named in its own state (Berlin, Chongqing Municipality) stays there, as Safe Harbor keeps states.
      if (typeof o.city === 'string' && !String(o.state ?? '').includes(o.city)) add([o.city]);
      if (o.url === MAIDEN_NAME) add(texts(o.valueString));
    });
  }
  return found;
}

/** The string values of an output text: NDJSON, or one JSON document on one line (as the engine writes them). */
export function stringValues(text: string): string[] {
  const values: string[] = [];
  const collect = (node: unknown): void => {
    if (typeof node === 'string') values.push(node);
    else if (Array.isArray(node)) node.forEach(collect);
    else if (node !== null && typeof node === 'object') Object.values(node).forEach(collect);
  };
  for (const line of text.split('\n')) if (line.trim() !== '') collect(JSON.parse(line));
  return values;
}

const ALNUM = /[\p{L}\p{N}]/u;

/** The source strings found in the output strings, standing alone (no letter or digit either side). */
export function leaks(sources: Set<string>, outputs: string[]): string[] {
  const text = outputs.join('\n');
  const found: string[] = [];
  for (const s of sources) {
    for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) {
      if (!ALNUM.test(text[at - 1] ?? '') && !ALNUM.test(text[at + s.length] ?? '')) {
        found.push(s);
        break;
      }
    }
  }
  return found;
}

/** Strings that carry a date finer than a year: anything but `YYYY` or the first instant of a year. */
export function datesFinerThanYears(outputs: string[]): string[] {
  return outputs.filter((v) => /^\d{4}-\d{2}/.test(v) && !/^\d{4}-01-01T00:00:00(\.0+)?(Z|\+00:00)$/.test(v));
}

const day = (value: string) => Date.parse(`${value.slice(0, 10)}T00:00:00Z`) / 86_400_000;

/**
 * Per patient id, the whole days from birth to the start of each of their encounters (by encounter id), for
 * patients with a full birth date; resources given as `Type/id`-referencing NDJSON or as Bundle entries alike.
 */
function birthToEncounterDays(resources: Json[]): Map<string, Map<string, number>> {
  const births = new Map<string, string>();
  for (const r of resources) if (r.resourceType === 'Patient' && typeof r.birthDate === 'string' && r.birthDate.length === 10) births.set(String(r.id), r.birthDate);
  const out = new Map<string, Map<string, number>>();
  for (const r of resources) {
    if (r.resourceType !== 'Encounter') continue;
    const subject = String((r.subject as Json | undefined)?.reference ?? '').replace(/^(Patient\/|urn:uuid:)/, '');
    const start = (r.period as Json | undefined)?.start;
    const birth = births.get(subject);
    if (birth === undefined || typeof start !== 'string') continue;
    if (!out.has(subject)) out.set(subject, new Map());
    out.get(subject)!.set(String(r.id), day(start) - day(birth));
  }
  return out;
}

/**
 * Source and output compared patient by patient (ids through `deid`'s pseudonyms): `changed` lists each patient
 * whose birth-to-encounter days differ, or who was over the age limit and does not read 90 at the reference year
 * (their year of death, else now) with a birth year alone; `kept` counts those whose intervals held.
 */
export function intervalsCompared(source: Json[], output: Json[], deid: Deidentifier): { kept: number; aggregated: number; changed: string[] } {
  const after = birthToEncounterDays(output);
  const patients = new Map(output.filter((r) => r.resourceType === 'Patient').map((r) => [r.id, r]));
  const result = { kept: 0, aggregated: 0, changed: [] as string[] };
  for (const [patient, encounters] of birthToEncounterDays(source)) {
    const out = patients.get(deid.pseudonymId('Patient', patient));
    if (out !== undefined && String(out.birthDate).length === 4) {
      const died = typeof out.deceasedDateTime === 'string' ? Number(out.deceasedDateTime.slice(0, 4)) : new Date().getUTCFullYear();
      if (Number(out.birthDate) === died - 90) result.aggregated++;
      else result.changed.push(`Patient/${patient}: birth year ${String(out.birthDate)}`);
      continue;
    }
    const expected = [...encounters].map(([id, days]) => `${deid.pseudonymId('Encounter', id)}:${days}`).sort();
    const actual = [...(after.get(deid.pseudonymId('Patient', patient)) ?? [])].map(([id, days]) => `${id}:${days}`).sort();
    if (JSON.stringify(actual) === JSON.stringify(expected)) result.kept++;
    else result.changed.push(`Patient/${patient}`);
  }
  return result;
}

/** The resources of Bundles' entries, or the documents themselves. */
export const resourcesOf = (documents: Json[]): Json[] => documents.flatMap((d) => (d.resourceType === 'Bundle' ? ((d.entry as Json[]) ?? []).map((e) => e.resource as Json) : [d]));

/** Every stored resource, and the references among them that point at nothing stored. */
export async function storedAndDangling(store: ResourceStore): Promise<{ resources: Json[]; dangling: string[] }> {
  const resources: Json[] = [];
  for (const type of Object.keys(await store.countByType())) for await (const r of store.stream(type)) resources.push(r as unknown as Json);
  const present = new Set(resources.map((r) => `${String(r.resourceType)}/${String(r.id)}`));
  const dangling = resources.flatMap((r) =>
    referenceLinks(r)
      .filter((l) => l.targetType !== null && !present.has(`${l.targetType}/${l.targetId}`))
      .map((l) => `${String(r.resourceType)}/${String(r.id)} -> ${l.targetType}/${l.targetId}`),
  );
  return { resources, dangling };
}
