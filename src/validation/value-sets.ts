/**
 * The expanded R4 value sets of required bindings, loaded once from schemas/fhir-valuesets.json (made by
 * scripts/derive-validation-definitions.ts) into a set per value set of `system|code` and of bare codes.
 * @see https://hl7.org/fhir/R4/terminologies.html#required
 */
import { readFileSync } from 'node:fs';

export interface ValueSetsFile {
  valueSets: Record<string, { codes?: Record<string, string[]>; external?: boolean }>;
}

export interface ExpandedValueSet {
  url: string;
  /** The expansion needs a code system the definitions do not hold: membership cannot be decided here. */
  external: boolean;
  systems: Set<string>;
  /** `system|code` of every member. */
  members: Set<string>;
  /** Every member code without its system, for `code` elements (which carry no system). */
  codes: Set<string>;
}

let loaded: Map<string, ExpandedValueSet> | undefined;

/** The expansion of a value set by canonical URL (without version), or undefined when not derived. */
export function valueSet(url: string): ExpandedValueSet | undefined {
  if (!loaded) {
    const file = JSON.parse(readFileSync(new URL('../../schemas/fhir-valuesets.json', import.meta.url), 'utf8')) as ValueSetsFile;
    loaded = new Map();
    for (const [vsUrl, entry] of Object.entries(file.valueSets)) {
      const members = new Set<string>();
      const codes = new Set<string>();
      for (const [system, list] of Object.entries(entry.codes ?? {})) {
        for (const code of list) {
          members.add(`${system}|${code}`);
          codes.add(code);
        }
      }
      loaded.set(vsUrl, { url: vsUrl, external: entry.external === true, systems: new Set(Object.keys(entry.codes ?? {})), members, codes });
    }
  }
  return loaded.get(url);
}
