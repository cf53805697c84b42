/**
 * The extensions R4 itself defines (Bundle-extensions.json of hl7.fhir.r4.examples), as the validator checks
 * them: by URL, the types its value may take (none: a complex extension, whose content is sub-extensions),
 * whether it is a modifier, and the elements it may be used on (its `context`, left out when that includes
 * `Element`: anywhere). With them, the base of each type R4 specializes, as a context names a type and so
 * every type derived from it (`Quantity` takes an `Age`, `Resource` any resource).
 * @see https://hl7.org/fhir/R4/extensibility.html
 * @see https://hl7.org/fhir/R4/structuredefinition-definitions.html#StructureDefinition.context
 */
import { readFileSync } from 'node:fs';
import type { Bundle, StructureDefinition } from 'fhir/r4.js';
import type { CoreExtensionDef, CoreExtensionsFile } from '../../src/validation/core-extensions.js';

const examples = new URL('../../node_modules/hl7.fhir.r4.examples/', import.meta.url);

function definitions(name: string): StructureDefinition[] {
  const bundle = JSON.parse(readFileSync(new URL(name, examples), 'utf8')) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is StructureDefinition => r?.resourceType === 'StructureDefinition');
}

/**
 * Contexts the reference validator corrects (InstanceValidator.fixContexts), as R4's own definitions use these
 * extensions where their stated context does not reach (https://jira.hl7.org/browse/FHIR-13328): the FHIR type
 * sits on ElementDefinition.type, a regex on a type too, and the normative version and the expectation and
 * prohibition of capability statements on more elements than their lists name.
 */
const CONTEXT_ERRATA: Record<string, (contexts: string[]) => string[]> = {
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type': (c) => ['ElementDefinition.type', ...c.slice(1)],
  'http://hl7.org/fhir/StructureDefinition/regex': (c) => [...c, 'ElementDefinition.type'],
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-normative-version': () => ['Element'],
  'http://hl7.org/fhir/StructureDefinition/capabilitystatement-expectation': () => ['Element'],
  'http://hl7.org/fhir/StructureDefinition/capabilitystatement-prohibited': () => ['Element'],
};

const sorted = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

export function deriveExtensions(): CoreExtensionsFile {
  const extensions: Record<string, CoreExtensionDef> = {};
  for (const sd of definitions('Bundle-extensions.json')) {
    if (sd.type !== 'Extension' || !sd.snapshot) continue;
    const value = sd.snapshot.element.find((e) => e.path === 'Extension.value[x]');
    const types = !value || value.max === '0' ? [] : (value.type ?? []).map((t) => t.code);
    const def: CoreExtensionDef = { types, modifier: sd.snapshot.element[0].isModifier === true };
    // Every R4 extension context is of type `element`; any other kind would need its own check.
    const stated = (sd.context ?? []).map((c) => (c.type === 'element' ? c.expression : `${c.type}:${c.expression}`));
    const contexts = CONTEXT_ERRATA[sd.url]?.(stated) ?? stated;
    if (contexts.length > 0 && !contexts.includes('Element')) def.contexts = contexts;
    extensions[sd.url] = def;
  }
  const bases: Record<string, string[]> = {};
  for (const sd of [...definitions('Bundle-types.json'), ...definitions('Bundle-resources.json')]) {
    if (sd.derivation !== 'specialization' || !sd.baseDefinition) continue;
    (bases[sd.baseDefinition.split('/').pop()!] ??= []).push(sd.type);
  }
  for (const list of Object.values(bases)) list.sort();
  return { extensions: sorted(extensions), bases: sorted(bases) };
}
