/**
 * Derives what the validator needs at run time from the official R4 definitions in hl7.fhir.r4.examples:
 * - schemas/fhir-elements.json: per resource, data type and backbone element (named by path, e.g.
 *   `Observation.referenceRange`), each element's cardinality, types, required binding, reference targets,
 *   and the FHIRPath constraints declared there (ele-1 and ext-1 are checked natively, so they are left out);
 * - schemas/fhir-valuesets.json: the codes of every value set a required binding names, expanded from the
 *   definition bundles, or `external: true` when the expansion needs a code system the bundles do not hold;
 * - schemas/fhir-extensions.json: the extensions R4 defines, their value types, whether each is a modifier and
 *   where it may be used, with the base of each R4 type.
 * Run: node --import tsx scripts/derive-validation-definitions.ts
 * @see https://hl7.org/fhir/R4/elementdefinition.html
 */
import { writeFileSync } from 'node:fs';
import { deriveElements } from './validation-definitions/derive-elements.js';
import { deriveExtensions } from './validation-definitions/derive-extensions.js';
import { deriveValueSets } from './validation-definitions/derive-valuesets.js';

const schemas = new URL('../schemas/', import.meta.url);
const elements = deriveElements();
writeFileSync(new URL('fhir-elements.json', schemas), `${JSON.stringify({ types: elements.types })}\n`);
writeFileSync(new URL('fhir-valuesets.json', schemas), `${JSON.stringify(deriveValueSets(elements.bindings))}\n`);
writeFileSync(new URL('fhir-extensions.json', schemas), `${JSON.stringify(deriveExtensions())}\n`);
