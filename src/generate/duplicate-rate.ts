/**
 * The `duplicates` parameter (`generate --duplicates RATE`, `$generate` `duplicates`): the share of the
 * generated people who get a second, corrupted record. Checked with the other parameters, before anything is
 * written, so a bad rate gives the same 400 / exit 2 everywhere.
 */
import { badRequest } from '../fhir/outcomes.js';

/** The rate as a number from 0 to 1, or undefined when not given; throws `badRequest` naming `duplicates`. */
export function parseDuplicateRate(value: number | string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : /^\s*(\d+(\.\d*)?|\.\d+)\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1) {
    throw badRequest(`duplicates must be a number from 0 to 1 (the share of patients who get a duplicate record), got "${value}"`, 'duplicates');
  }
  return n;
}
