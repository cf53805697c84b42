/**
 * The built-in generator in memory: `generatePopulation` builds the support bundles and one transaction
 * Bundle per patient (tests, small `$generate` answers). write-population.ts streams the same to files.
 * @see https://github.com/synthetichealth/synthea/wiki/HL7-FHIR
 */
import type { Bundle } from 'fhir/r4.js';
import type { GroundTruthRow } from './duplicate-ground-truth.js';
import { DuplicateMaker } from './duplicates.js';
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
  /** One transaction Bundle per patient (with `duplicates`, each followed by its twin's and its duplicate's). */
  patients: Bundle[];
  /** With `duplicates`: which of those records are the same person, and which are twins. */
  groundTruth?: GroundTruthRow[];
}

/** Validates `input` (400 OperationOutcomeError on a bad parameter) and generates the population in memory. */
export function generatePopulation(input: GenerateOptions): GeneratedPopulation {
  const options = resolveOptions(input);
  const network = buildNetwork(options);
  const patients: Bundle[] = [];
  const extra = options.duplicates === undefined ? undefined : new DuplicateMaker(options, network, options.duplicates);
  for (let i = 0; i < options.count; i++) {
    const record = generatePatient(options, network, i);
    if (extra) patients.push(...extra.recordsOf(record, i).map((r) => r.bundle));
    else patients.push(record.bundle);
  }
  return { options, hospitalInformation: hospitalBundle(network), practitionerInformation: practitionerBundle(network), patients, ...(extra && { groundTruth: extra.rows }) };
}

/** Generates a population one patient at a time and reads its figures back from the Bundles (scripts/compare-cdc.ts). */
export function measurePopulation(input: GenerateOptions, bands: [number, number][]): PopulationFigures {
  const options = resolveOptions(input);
  const network = buildNetwork(options);
  const tally = new FigureTally(options.referenceTime, bands);
  for (let i = 0; i < options.count; i++) tally.add(generatePatient(options, network, i).bundle);
  return tally.result();
}
