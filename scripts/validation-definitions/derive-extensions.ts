/**
 * The extensions R4 itself defines (Bundle-extensions.json of hl7.fhir.r4.examples), as the validator checks
 * them: by URL, the types its value may take (none: a complex extension, whose content is sub-extensions)
 * and whether it is a modifier. Where it may be used (its contexts) is not derived yet.
 * @see https://hl7.org/fhir/R4/extensibility.html
 */
import { readFileSync } from 'node:fs';
import type { Bundle, StructureDefinition } from 'fhir/r4.js';
import type { CoreExtensionDef } from '../../src/validation/core-extensions.js';

export function deriveExtensions(): Record<string, CoreExtensionDef> {
  const examples = new URL('../../node_modules/hl7.fhir.r4.examples/', import.meta.url);
  const bundle = JSON.parse(readFileSync(new URL('Bundle-extensions.json', examples), 'utf8')) as Bundle;
  const out: Record<string, CoreExtensionDef> = {};
  for (const entry of bundle.entry ?? []) {
    const sd = entry.resource as StructureDefinition;
    if (sd?.resourceType !== 'StructureDefinition' || sd.type !== 'Extension' || !sd.snapshot) continue;
    const value = sd.snapshot.element.find((e) => e.path === 'Extension.value[x]');
    const types = !value || value.max === '0' ? [] : (value.type ?? []).map((t) => t.code);
    out[sd.url] = { types, modifier: sd.snapshot.element[0].isModifier === true };
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
