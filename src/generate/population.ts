/**
 * The built-in generator in memory: `generatePopulation` builds the support bundles and one transaction
 * Bundle per patient (tests, small `$generate` answers). write-population.ts streams the same to files.
 * @see https://github.com/synthetichealth/synthea/wiki/HL7-FHIR
 */
import type { Bundle } from 'fhir/r4.js';
import { resolveOptions, type GenerateOptions, type ResolvedOptions } from './options.js';
import { generatePatient } from './patient-record.js';
import { FigureTally, type PopulationFigures } from './population-figures.js';
import { buildNetwork } from './providers.js';
import { hospitalBundle, practitionerBundle } from './support-bundles.js';

export interface GeneratedPopulation {
  options: ResolvedOptions;
  /** `hospitalInformation`: Organization + Location, batch with ifNoneExist. */
  hospitalInformation: Bundle;
  /** `practitionerInformation`: Practitioner + PractitionerRole, batch with ifNoneExist. */
  practitionerInformation: Bundle;
  /** One transaction Bundle per patient. */
  patients: Bundle[];
}

/** Validates `input` (400 OperationOutcomeError on a bad parameter) and generates the population in memory. */
export function generatePopulation(input: GenerateOptions): GeneratedPopulation {
  const options = resolveOptions(input);
  const network = buildNetwork(options);
  const patients: Bundle[] = [];
  for (let i = 0; i < options.count; i++) patients.push(generatePatient(options, network, i).bundle);
  return { options, hospitalInformation: hospitalBundle(network), practitionerInformation: practitionerBundle(network), patients };
}

/** Generates a population one patient at a time and reads its figures back from the Bundles (scripts/compare-cdc.ts). */
export function measurePopulation(input: GenerateOptions, bands: [number, number][]): PopulationFigures {
  const options = resolveOptions(input);
  const network = buildNetwork(options);
  const tally = new FigureTally(options.referenceTime, bands);
  for (let i = 0; i < options.count; i++) tally.add(generatePatient(options, network, i).bundle);
  return tally.result();
}
