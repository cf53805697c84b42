/**
 * The extensions R4 itself defines (Bundle-extensions.json of hl7.fhir.r4.examples, the same package the
 * validation definitions are derived from): for each, where it may be used (its element contexts), how often
 * (the root's max), whether it is a modifier, and the types its value may take; a value that is bound to a
 * required value set gets a code from schemas/fhir-valuesets.json, or the extension is not used for valid
 * values at all.
 * @see https://hl7.org/fhir/R4/extensibility.html
 */
import { readFileSync } from 'node:fs';
import type { Bundle, ElementDefinition, StructureDefinition } from 'fhir/r4.js';
import type { ValueSetsFile } from '../../src/validation/value-sets.js';
import { capital } from './json.js';
import { sample } from './samples.js';

export interface CoreExtension {
  url: string;
  contexts: string[];
  /** Whether its contexts are only certain elements (not `Element`, `Resource`, …). */
  specific: boolean;
  max: '1' | '*';
  modifier: boolean;
  /** Value types; empty for a complex extension. */
  types: string[];
  /** A complex extension with sub-extensions of min ≥ 1. */
  requiredParts: boolean;
  /** A valid value, as its JSON property and value, when one can be made. */
  valid?: [string, unknown];
}

const GENERIC = new Set(['Element', 'Resource', 'DomainResource', 'BackboneElement', 'Base']);

function validValue(el: ElementDefinition, valueSets: ValueSetsFile): [string, unknown] | undefined {
  const types = (el.type ?? []).map((t) => t.code);
  const bound = el.binding?.strength === 'required' ? valueSets.valueSets[el.binding.valueSet?.split('|')[0] ?? ''] : undefined;
  for (const type of types) {
    if (el.binding?.strength === 'required' && ['code', 'Coding', 'CodeableConcept'].includes(type)) {
      const [system, codes] = Object.entries(bound?.codes ?? {})[0] ?? [];
      if (!system || !codes?.length) continue;
      const value = type === 'code' ? codes[0] : type === 'Coding' ? { system, code: codes[0] } : { coding: [{ system, code: codes[0] }] };
      return [`value${capital(type)}`, value];
    }
    const value = sample(type);
    if (value !== undefined) return [`value${capital(type)}`, value];
  }
  return undefined;
}

let loaded: CoreExtension[] | undefined;

/** The R4 core extensions whose contexts are elements, without context invariants, in URL order. */
export function coreExtensions(): CoreExtension[] {
  if (loaded) return loaded;
  const examples = new URL('../../node_modules/hl7.fhir.r4.examples/', import.meta.url);
  const bundle = JSON.parse(readFileSync(new URL('Bundle-extensions.json', examples), 'utf8')) as Bundle;
  const valueSets = JSON.parse(readFileSync(new URL('../../schemas/fhir-valuesets.json', import.meta.url), 'utf8')) as ValueSetsFile;
  loaded = [];
  for (const entry of bundle.entry ?? []) {
    const sd = entry.resource as StructureDefinition;
    if (sd?.resourceType !== 'StructureDefinition' || sd.type !== 'Extension' || !sd.snapshot || sd.contextInvariant) continue;
    const contexts = (sd.context ?? []).filter((c) => c.type === 'element').map((c) => c.expression);
    if (contexts.length === 0) continue;
    const root = sd.snapshot.element[0];
    const value = sd.snapshot.element.find((e) => e.path === 'Extension.value[x]');
    const complex = !value || value.max === '0';
    loaded.push({
      url: sd.url,
      contexts,
      specific: !contexts.some((c) => GENERIC.has(c)),
      max: root.max === '1' ? '1' : '*',
      modifier: root.isModifier === true,
      types: complex ? [] : (value.type ?? []).map((t) => t.code),
      requiredParts: sd.snapshot.element.some((e) => e.path === 'Extension.extension' && e.sliceName && (e.min ?? 0) > 0),
      valid: complex ? undefined : validValue(value, valueSets),
    });
  }
  loaded.sort((a, b) => a.url.localeCompare(b.url));
  return loaded;
}
