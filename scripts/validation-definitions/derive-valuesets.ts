/**
 * The value set table of schemas/fhir-valuesets.json: for each value set a required binding names, its codes
 * by system, expanded from the compose of the R4 definition bundles (includes of whole code systems, listed
 * concepts, `is-a` filters and imported value sets; excludes applied). A value set that needs a code system
 * the bundles do not hold (SNOMED CT, LOINC, UCUM, …) or another filter is marked `external`.
 * @see https://hl7.org/fhir/R4/valueset.html#compositions
 */
import { readFileSync } from 'node:fs';
import type { Bundle, CodeSystem, CodeSystemConcept, ValueSet, ValueSetComposeInclude } from 'fhir/r4.js';
import type { ValueSetsFile } from '../../src/validation/value-sets.js';

const examples = new URL('../../node_modules/hl7.fhir.r4.examples/', import.meta.url);

function resources(name: string): (CodeSystem | ValueSet)[] {
  const bundle = JSON.parse(readFileSync(new URL(name, examples), 'utf8')) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as CodeSystem | ValueSet).filter((r) => r?.resourceType === 'CodeSystem' || r?.resourceType === 'ValueSet');
}

/** Every code of a concept tree, with the codes below each (for `is-a`). */
function flatten(concepts: CodeSystemConcept[] | undefined, out: Map<string, string[]>, ancestors: string[] = []): void {
  for (const c of concepts ?? []) {
    out.set(c.code, []);
    for (const a of [...ancestors, c.code]) out.get(a)!.push(c.code);
    flatten(c.concept, out, [...ancestors, c.code]);
  }
}

export function deriveValueSets(bindings: Set<string>): ValueSetsFile {
  const all = [...resources('Bundle-valuesets.json'), ...resources('Bundle-v3-valuesets.json'), ...resources('Bundle-v2-valuesets.json')];
  const systems = new Map<string, Map<string, string[]>>();
  for (const cs of all) {
    if (cs.resourceType !== 'CodeSystem' || cs.content !== 'complete' || !cs.url || systems.has(cs.url)) continue;
    const codes = new Map<string, string[]>();
    flatten(cs.concept, codes);
    systems.set(cs.url, codes);
  }
  const valueSets = new Map(all.filter((r): r is ValueSet => r.resourceType === 'ValueSet' && !!r.url).map((v) => [v.url!, v]));

  const expand = (url: string, depth = 0): Record<string, string[]> | undefined => {
    const vs = valueSets.get(url.split('|')[0]);
    if (!vs?.compose || depth > 5) return undefined;
    const codes: Record<string, Set<string>> = {};
    const add = (system: string, list: Iterable<string>) => {
      codes[system] ??= new Set();
      for (const c of list) codes[system].add(c);
    };
    const select = (inc: ValueSetComposeInclude): Record<string, string[]> | undefined => {
      const parts: Record<string, string[]>[] = [];
      for (const imported of inc.valueSet ?? []) {
        const sub = expand(imported, depth + 1);
        if (!sub) return undefined;
        parts.push(sub);
      }
      if (inc.system) {
        const system = systems.get(inc.system);
        if (inc.concept) parts.push({ [inc.system]: inc.concept.map((c) => c.code) });
        else if (!system) return undefined;
        else if (!inc.filter) parts.push({ [inc.system]: [...system.keys()] });
        else if (inc.filter.length === 1 && inc.filter[0].op === 'is-a' && system.has(inc.filter[0].value)) parts.push({ [inc.system]: system.get(inc.filter[0].value)! });
        else return undefined;
      }
      // Several parts of one include intersect; in practice R4 uses one part per include.
      return parts.length === 1 ? parts[0] : undefined;
    };
    for (const inc of vs.compose.include) {
      const sel = select(inc);
      if (!sel) return undefined;
      for (const [system, list] of Object.entries(sel)) add(system, list);
    }
    for (const exc of vs.compose.exclude ?? []) {
      const sel = select(exc);
      for (const [system, list] of Object.entries(sel ?? {})) for (const c of list) codes[system]?.delete(c);
    }
    return Object.fromEntries(Object.entries(codes).map(([s, set]) => [s, [...set].sort()]));
  };

  const out: ValueSetsFile = { valueSets: {} };
  for (const url of [...bindings].sort()) {
    const codes = expand(url);
    out.valueSets[url] = codes ? { codes } : { external: true };
  }
  return out;
}
