/**
 * The de-identification engine: a profile (by name or as data) and a key make a Deidentifier, whose
 * `deidentify` returns a new resource and leaves its input as it was. The key makes every pseudonym and date
 * shift: the same key gives the same output, so files de-identified apart still link up; another key gives
 * other ids and shifts.
 */
import type { Resource } from 'fhir/r4.js';
import { patientByCompartment } from './bundle-scope.js';
import { Frames } from './frames.js';
import { DeidConfigError, loadProfile, resolveProfile, type DeidProfile } from './profile.js';
import { createPseudonymiser } from './pseudonym.js';
import { compileRules } from './rules.js';
import { walkResource, type WalkSettings } from './walk.js';

export { DeidConfigError, knownProfiles, type DeidProfile } from './profile.js';
export { DeidentifyError } from './walk.js';

export interface DeidentifierOptions {
  /** A shipped profile's name (`safe-harbor`, `shifted`) or a profile as data. */
  profile: string | DeidProfile;
  /** The HMAC key behind every pseudonym and shift; required. */
  key: string;
  /** The date ages are reckoned at for the living (default: now). */
  now?: Date;
}

export interface Deidentifier {
  readonly profile: DeidProfile;
  /**
   * A de-identified copy of `resource`. `patientId` is the original id of the patient whose compartment holds
   * it, whose offset its dates shift by; undefined: its dates are generalised instead. A Bundle's entries each
   * get their own patient (bundle-scope.ts).
   */
  deidentify(resource: Resource, patientId: string | undefined): Resource;
  /**
   * The patient whose shift `resource`'s dates take: the first whose compartment holds it, by its own references,
   * so every resource of a compartment moves alike wherever it is met (a file, a stream). Undefined for a Bundle,
   * whose entries each get theirs, and under a profile that shifts nothing.
   */
  patientOf(resource: Resource): string | undefined;
  /** The pseudonym that `type`/`id` becomes, in ids and references alike. */
  pseudonymId(type: string, id: string): string;
  /** The days the patient's dates move by under a shifting profile. */
  shiftDays(patientId: string): number;
}

const DEFAULT_MAX_SHIFT_DAYS = 365;

export function createDeidentifier(options: DeidentifierOptions): Deidentifier {
  if (typeof options.key !== 'string' || options.key.length === 0) throw new DeidConfigError('a de-identification key is required (--key or MEDGEN_DEID_KEY)');
  const profile = typeof options.profile === 'string' ? loadProfile(options.profile) : resolveProfile(options.profile);
  const settings: WalkSettings = {
    frames: new Frames(compileRules(profile)),
    p: createPseudonymiser(options.key),
    restrictedZip3: new Set(profile.restrictedZip3 ?? []),
    ageLimit: profile.ageLimit,
    maxShiftDays: profile.maxShiftDays ?? DEFAULT_MAX_SHIFT_DAYS,
    now: options.now ?? new Date(),
  };
  const shiftDays = (patientId: string) => settings.p.shiftDays(patientId, settings.maxShiftDays);
  // A profile that shifts nothing needs no patient: the compartment is not worked out for it.
  const shifts = profile.rules.some((r) => r.method === 'shift');
  const deidentify = (resource: Resource, patientId: string | undefined): Resource => {
    const state = { ...settings, shift: patientId === undefined ? undefined : shiftDays(patientId), scope: undefined };
    return walkResource(resource as unknown as Record<string, unknown>, state, false) as unknown as Resource;
  };
  return {
    profile,
    deidentify,
    patientOf: (resource) => (shifts && resource.resourceType !== 'Bundle' ? patientByCompartment(resource as unknown as Record<string, unknown>) : undefined),
    pseudonymId: (type, id) => settings.p.id(type, id),
    shiftDays,
  };
}
