/**
 * Derives schemas/fhir-summary-elements.json from the official R4 StructureDefinitions in
 * hl7.fhir.r4.examples: per resource type, the top-level elements marked `isSummary` (choice elements as
 * their `[x]` name). `_summary=true` keeps these; the table is generated so that the server does not load
 * the definition bundles at run time.
 * Run: node --import tsx scripts/derive-summary-elements.ts
 * @see https://hl7.org/fhir/R4/search.html#summary
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Bundle, StructureDefinition } from 'fhir/r4.js';

const bundle = JSON.parse(
  readFileSync(new URL('../node_modules/hl7.fhir.r4.examples/Bundle-resources.json', import.meta.url), 'utf8'),
) as Bundle;
const summary: Record<string, string[]> = {};
for (const entry of bundle.entry ?? []) {
  const sd = entry.resource as StructureDefinition | undefined;
  if (sd?.resourceType !== 'StructureDefinition' || sd.kind !== 'resource' || sd.derivation !== 'specialization' || !sd.snapshot) continue;
  summary[sd.type] = sd.snapshot.element
    .filter((el) => el.isSummary === true && el.path.split('.').length === 2)
    .map((el) => el.path.split('.')[1]);
}
writeFileSync(new URL('../schemas/fhir-summary-elements.json', import.meta.url), `${JSON.stringify(summary)}\n`);
