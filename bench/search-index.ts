/**
 * Micro-benchmark of computeIndex over the official R4 examples (not part of `npm run bench`):
 * prints resources per second, single-threaded, after a warm-up pass.
 * Run: node --import tsx bench/search-index.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { computeIndex } from '../src/search/index-resource.js';

const dir = new URL('../node_modules/hl7.fhir.r4.examples/', import.meta.url);
const resources: { resourceType: string }[] = [];
for (const name of readdirSync(dir)) {
  // The definition bundles (profiles, value sets) are megabytes of conformance resources, not data.
  if (!name.endsWith('.json') || name.startsWith('Bundle-') || name === 'package.json') continue;
  const resource = JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as { resourceType?: unknown };
  if (typeof resource.resourceType === 'string') resources.push(resource as { resourceType: string });
}

// Conformance resources (StructureDefinition, CodeSystem, …: 80% of the bytes) are far larger than the
// clinical data Synthea writes, so the clinical subset is measured on its own as well.
const CONFORMANCE = new Set(['StructureDefinition', 'CodeSystem', 'ValueSet', 'ImplementationGuide', 'SearchParameter', 'CapabilityStatement', 'OperationDefinition', 'ConceptMap', 'NamingSystem', 'StructureMap', 'CompartmentDefinition', 'MessageDefinition', 'GraphDefinition', 'TerminologyCapabilities', 'Library', 'Measure', 'PlanDefinition', 'ActivityDefinition', 'Questionnaire', 'TestScript']);

function measure(label: string, set: { resourceType: string }[], minSeconds = 2): void {
  for (const r of set) computeIndex(r);
  let items = 0;
  let rows = 0;
  const start = process.hrtime.bigint();
  let seconds = 0;
  while (seconds < minSeconds) {
    for (const r of set) {
      const e = computeIndex(r);
      rows += e.tokens.length + e.strings.length + e.dates.length + e.references.length + e.numbers.length + e.uris.length + e.links.length;
    }
    items += set.length;
    seconds = Number(process.hrtime.bigint() - start) / 1e9;
  }
  const result = { bench: 'search-index', data: label, resources: set.length, items, unit: 'resources', seconds: +seconds.toFixed(3), rate: Math.round(items / seconds), rows_per_resource: +(rows / items).toFixed(1) };
  console.log(JSON.stringify(result));
}

measure('all-examples', resources);
measure('clinical-examples', resources.filter((r) => !CONFORMANCE.has(r.resourceType)));
