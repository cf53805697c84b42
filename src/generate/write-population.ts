/**
 * `writePopulation`: the built-in generator streamed to disk, one file per patient after the support files
 * (Synthea's FHIR output layout), or NDJSON per resource type; memory stays flat whatever the count.
 * @see https://github.com/synthetichealth/synthea/wiki/HL7-FHIR
 */
import { writeGroundTruth } from './duplicate-ground-truth.js';
import { DuplicateMaker } from './duplicates.js';
import { resolveOptions, type GenerateOptions } from './options.js';
import { generatePatient } from './patient-record.js';
import { buildNetwork } from './providers.js';
import { hospitalBundle, practitionerBundle } from './support-bundles.js';
import { writeBundles, writeNdjson, type OutputFormat } from './write-output.js';

export interface GenerateSummary {
  outDir: string;
  format: OutputFormat;
  seed: number;
  referenceDate: string;
  patients: number;
  deaths: number;
  /** Resources written, support files included. */
  resources: number;
  byType: Record<string, number>;
  /** Paths relative to outDir, in the order written (support files first). */
  files: string[];
  /** With `duplicates`: duplicate records and twins added to the `patients`, and the ground-truth file (duplicates.csv). */
  duplicates?: number;
  twins?: number;
  groundTruth?: string;
}

export interface WriteControl {
  /** Patients generated so far, of the total (jobs report it as their progress). */
  onProgress?: (done: number, total: number) => void;
  /** Checked before each patient: a cancelled job stops generating. */
  signal?: AbortSignal;
}

/** Validates `input`, then writes the population to `outDir` one patient at a time (memory stays flat). */
export async function writePopulation(input: GenerateOptions, outDir: string, format: OutputFormat = 'bundle', control: WriteControl = {}): Promise<GenerateSummary> {
  const options = resolveOptions(input);
  const network = buildNetwork(options);
  const support = [hospitalBundle(network), practitionerBundle(network)] as const;
  const extra = options.duplicates === undefined ? undefined : new DuplicateMaker(options, network, options.duplicates);
  let deaths = 0;
  function* patients() {
    for (let i = 0; i < options.count; i++) {
      control.signal?.throwIfAborted();
      control.onProgress?.(i, options.count);
      const record = generatePatient(options, network, i);
      if (record.life.death !== undefined) deaths++;
      if (extra) yield* extra.recordsOf(record, i);
      else yield { name: `${record.person.given}_${record.person.family}_${record.person.id}`, bundle: record.bundle };
    }
  }
  const written = format === 'ndjson' ? await writeNdjson(outDir, support, patients(), network) : await writeBundles(outDir, support, patients(), options.referenceTime);
  const resources = Object.values(written.byType).reduce((s, n) => s + n, 0);
  const truth = extra && { duplicates: extra.duplicates, twins: extra.twins, groundTruth: await writeGroundTruth(outDir, extra.rows) };
  return { outDir, format, seed: options.seed, referenceDate: options.referenceDate, patients: options.count, deaths, resources, ...written, ...truth };
}
