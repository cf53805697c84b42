/**
 * `_deidentify` on `$export` and `$subset` (`--deidentify` on the CLI): the name of a shipped de-identification
 * profile (schemas/deidentify/), checked at kick-off together with the key, so that an export the job could not
 * de-identify is a 400 naming the parameter rather than a failed job, or worse, files written in the clear. The
 * key stays in the configuration: a job's saved parameters name the profile alone.
 */
import { createDeidentifier, knownProfiles, type Deidentifier } from '../deidentify/deidentifier.js';
import { badRequest } from '../fhir/outcomes.js';

/**
 * The profile `values` name (none: undefined); 400 naming `parameter` when it is given twice, names no profile,
 * or `key` is missing, as no pseudonym or shift can be made without one.
 */
export function parseDeidentify(values: string[], key: string | undefined, parameter: string): string | undefined {
  if (values.length === 0) return undefined;
  if (values.length > 1) throw badRequest(`${parameter} is given more than once`, parameter);
  const known = knownProfiles();
  if (!known.includes(values[0])) throw badRequest(`${parameter} names ${JSON.stringify(values[0].slice(0, 80))}, which is no de-identification profile (one of ${known.join(', ')})`, parameter);
  if (!key) throw badRequest(`${parameter} needs a de-identification key, and none is configured: set MEDGEN_DEID_KEY (--key on the command line)`, parameter);
  return values[0];
}

/**
 * What an export writes its resources through: undefined when it asks for no de-identification. Throws when the
 * key is missing here (a job taken up by a process configured without it): no file is then written.
 */
export function exportDeidentifier(profile: string | undefined, key: string | undefined): Deidentifier | undefined {
  if (profile === undefined) return undefined;
  if (!key) throw new Error(`this export asks for the ${profile} de-identification profile, and this process has no MEDGEN_DEID_KEY`);
  return createDeidentifier({ profile, key });
}
