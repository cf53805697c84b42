/**
 * The identifying strings of source resources, for the leak check: names, identifier values, telecom values,
 * address lines, cities, districts and postal codes (whole), resource ids, and birth dates. Found by the JSON
 * names the R4 types use (`family`, `telecom`, `postalCode`…) at any depth, extensions included, rather than
 * through the profile: the check must not share the blind spots of the rules it checks.
 */

type Json = Record<string, unknown>;

export type SourceKind = 'name' | 'identifier' | 'telecom' | 'address' | 'postalCode' | 'id' | 'birthDate';

export interface SourceString {
  value: string;
  kind: SourceKind;
  /** `Type/id` of the resource it came from. */
  source: string;
}

/** A relative's name in a string extension (Synthea writes the mother's maiden name this way). */
const NAME_EXTENSIONS = new Set(['http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName']);

const ADDRESS_PARTS: Record<string, SourceKind> = { line: 'address', city: 'address', district: 'address', postalCode: 'postalCode' };

const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v : [v]).filter((o): o is Json => o !== null && typeof o === 'object' && !Array.isArray(o));

/** Every identifying string in `resource`, handed to `add` (duplicates included). */
export function collectSourceStrings(resource: Json, add: (s: SourceString) => void): void {
  const visit = (node: unknown, source: string, contained: boolean): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, source, contained);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Json;
    let here = source;
    if (typeof o.resourceType === 'string' && typeof o.id === 'string') {
      here = `${o.resourceType}/${o.id}`;
      // A contained id is local to its container (`#referral`): often a plain word, and identifies nothing.
      if (!contained) add({ value: o.id, kind: 'id', source: here });
    }
    const emit = (kind: SourceKind, values: string[]) => {
      for (const value of values) add({ value, kind, source: here });
    };
    if ('family' in o || 'given' in o) emit('name', [...strings(o.family), ...strings(o.given), ...strings(o.text)]);
    for (const [key, kind] of Object.entries(ADDRESS_PARTS)) if (key in o) emit(kind, strings(o[key]));
    if ('identifier' in o) emit('identifier', objects(o.identifier).flatMap((i) => strings(i.value)));
    if ('telecom' in o) emit('telecom', objects(o.telecom).flatMap((t) => strings(t.value)));
    if (typeof o.birthDate === 'string') emit('birthDate', [o.birthDate]);
    if (typeof o.url === 'string' && NAME_EXTENSIONS.has(o.url)) emit('name', strings(o.valueString));
    for (const key in o) {
      const child = o[key];
      if (child !== null && typeof child === 'object') visit(child, here, key === 'contained');
    }
  };
  visit(resource, '', false);
}
