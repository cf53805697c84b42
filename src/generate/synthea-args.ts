/**
 * The Synthea command line for `$generate` parameters: `-p count -s seed [-g M|F] -a min-max [-m modules]`,
 * the FHIR R4 exporter switched on in Synthea's own layout (transaction bundles; hospital and practitioner
 * files, which import loads first), then state and city as the trailing positional arguments.
 * @see https://github.com/synthetichealth/synthea/wiki/Basic-Setup-and-Running
 * @see https://github.com/synthetichealth/synthea/blob/master/src/main/resources/synthea.properties
 */
import type { ResolvedOptions } from './options.js';

/** Arguments after `java -jar <jar>`. `modules` are Synthea module names (its `-m` filter, `:`-separated). */
export function syntheaArgs(options: ResolvedOptions, outDir: string, modules?: string[]): string[] {
  const args = ['-p', String(options.count), '-s', String(options.seed)];
  if (options.gender) args.push('-g', options.gender === 'male' ? 'M' : 'F');
  args.push('-a', `${options.minAge}-${options.maxAge}`);
  if (modules?.length) args.push('-m', modules.join(':'));
  args.push(
    `--exporter.years_of_history=${options.yearsOfHistory}`,
    '--exporter.fhir.export=true',
    '--exporter.fhir.transaction_bundle=true',
    '--exporter.hospital.fhir.export=true',
    '--exporter.practitioner.fhir.export=true',
    `--exporter.baseDirectory=${outDir}`,
    options.state.name,
  );
  if (options.city) args.push(options.city);
  return args;
}
