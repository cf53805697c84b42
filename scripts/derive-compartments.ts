/**
 * Derives schemas/fhir-compartments.json from the official R4 CompartmentDefinitions in hl7.fhir.r4.examples:
 * per compartment (Patient, Encounter, RelatedPerson, Practitioner, Device), per resource type in it, the
 * search parameters that place a resource there. `{def}` (the compartment's own resource) is left out: a
 * compartment search names another type. Generated so the server does not read the definitions at run time.
 * Run: node --import tsx scripts/derive-compartments.ts
 * @see https://hl7.org/fhir/R4/compartmentdefinition.html
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { CompartmentDefinition } from 'fhir/r4.js';

const compartments: Record<string, Record<string, string[]>> = {};
for (const name of ['patient', 'encounter', 'relatedPerson', 'practitioner', 'device']) {
  const def = JSON.parse(
    readFileSync(new URL(`../node_modules/hl7.fhir.r4.examples/CompartmentDefinition-${name}.json`, import.meta.url), 'utf8'),
  ) as CompartmentDefinition;
  const members: Record<string, string[]> = {};
  for (const r of def.resource ?? []) {
    const params = (r.param ?? []).filter((p) => p !== '{def}');
    if (params.length > 0) members[r.code] = params;
  }
  compartments[def.code] = members;
}
writeFileSync(new URL('../schemas/fhir-compartments.json', import.meta.url), `${JSON.stringify(compartments)}\n`);
