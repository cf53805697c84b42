/**
 * The Synthea command line for `$generate` parameters: `-p count -s seed -cs seed -r date -e date -o false
 * [-g M|F] -a min-max [-m modules]`, Synthea's properties set for a hermetic run, then state and city as the
 * trailing positional arguments.
 * - `-r`/`-e`: the reference date is both "today" for ages and the end of the simulation, so a run does not
 *   depend on the day it runs (by default Synthea simulates up to the wall clock) and a seed repeats exactly.
 * - `-cs`: the clinician seed too, or the practitioners assigned would vary between runs of one seed.
 * - `-o false`: `count` patients in all, living and dead, as the built-in engine counts them (by default Synthea
 *   makes `count` living ones and adds the dead on top).
 * - Every exporter is named: FHIR R4 transaction bundles in Synthea's layout (hospital and practitioner files,
 *   which import loads first) and the run's metadata record; everything else off whatever the defaults are,
 *   custom exporters found on the class path included. Output goes under `exporter.baseDirectory` only.
 * @see https://github.com/synthetichealth/synthea/wiki/Basic-Setup-and-Running
 * @see https://github.com/synthetichealth/synthea/blob/master/src/main/resources/synthea.properties
 */
import type { ResolvedOptions } from './options.js';

const EXPORTERS: Record<string, boolean> = {
  'fhir.export': true,
  'fhir.transaction_bundle': true,
  'hospital.fhir.export': true,
  'practitioner.fhir.export': true,
  // seed, clinician seed, dates, modules, ages and place of the run, as Synthea understood them
  'metadata.export': true,
  'fhir.bulk_data': false,
  'groups.fhir.export': false,
  'fhir_stu3.export': false,
  'fhir_dstu2.export': false,
  'hospital.fhir_stu3.export': false,
  'hospital.fhir_dstu2.export': false,
  'practitioner.fhir_stu3.export': false,
  'practitioner.fhir_dstu2.export': false,
  'ccda.export': false,
  'csv.export': false,
  'cpcds.export': false,
  'bfd.export': false,
  'cdw.export': false,
  'json.export': false,
  'text.export': false,
  'text.per_encounter_export': false,
  'clinical_note.export': false,
  'symptoms.csv.export': false,
  'symptoms.text.export': false,
  'split_records': false,
  'subfolders_by_id_substring': false,
  'enable_custom_exporters': false,
  // smaller files, faster to write and to read back
  'pretty_print': false,
};

/** Arguments after Synthea's launch (`-jar <jar>` or `-cp … App`). `modules` are Synthea module names (its `-m` filter, `:`-separated). */
export function syntheaArgs(options: ResolvedOptions, outDir: string, modules?: string[]): string[] {
  const day = options.referenceDate.replaceAll('-', '');
  const args = ['-p', String(options.count), '-s', String(options.seed), '-cs', String(options.seed), '-r', day, '-e', day, '-o', 'false'];
  if (options.gender) args.push('-g', options.gender === 'male' ? 'M' : 'F');
  args.push('-a', `${options.minAge}-${options.maxAge}`);
  if (modules?.length) args.push('-m', modules.join(':'));
  args.push(`--exporter.years_of_history=${options.yearsOfHistory}`, `--exporter.baseDirectory=${outDir}`);
  for (const [name, on] of Object.entries(EXPORTERS)) args.push(`--exporter.${name}=${on}`);
  args.push(options.state.name);
  if (options.city) args.push(options.city);
  return args;
}
