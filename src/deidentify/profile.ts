/**
 * De-identification profiles: data in schemas/deidentify/<name>.json, each a list of rules that select
 * elements (by data type, by `Type.element`, or an extension by URL) and name what to do with them. A profile
 * may extend another: its rules then replace the base's rules with the same selector and add the rest.
 */
import { readdirSync, readFileSync } from 'node:fs';

export const METHODS = ['keep', 'redact', 'pseudonymise', 'shift', 'generalise'] as const;
export type Method = (typeof METHODS)[number];

export interface DeidRule {
  /** A data type (`HumanName`, `dateTime`) or an element of a type (`Address.line`, `Claim.insurance.coverage`). */
  select?: string;
  /** An extension's URL: the whole extension is kept or redacted. */
  extension?: string;
  method: Method;
  /** Why the rule is there (the Safe Harbor identifier it removes); not read by the engine. */
  why?: string;
}

export interface DeidProfile {
  name: string;
  description?: string;
  /** The profile whose rules this one starts from. */
  extends?: string;
  /** Ages above this are aggregated (Safe Harbor: 89, so "90 or older"); absent: ages are left alone. */
  ageLimit?: number;
  /** Three-digit ZIP areas of 20,000 people or fewer, which generalise to 000. */
  restrictedZip3?: string[];
  /** The largest date shift in days, either way (default 365). */
  maxShiftDays?: number;
  rules: DeidRule[];
}

/** A profile or key the engine cannot work with: the caller's input, not a fault of the data. */
export class DeidConfigError extends Error {}

const DIRECTORY = new URL('../../schemas/deidentify/', import.meta.url);

/** The names of the profiles shipped in schemas/deidentify/. */
export function knownProfiles(): string[] {
  return readdirSync(DIRECTORY)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

const ruleKey = (rule: DeidRule) => (rule.extension !== undefined ? `extension:${rule.extension}` : `select:${rule.select}`);

function checkShape(profile: DeidProfile): void {
  const where = `de-identification profile "${String(profile?.name)}"`;
  if (profile === null || typeof profile !== 'object' || typeof profile.name !== 'string') throw new DeidConfigError('a de-identification profile needs a name');
  if (!Array.isArray(profile.rules)) throw new DeidConfigError(`${where}: "rules" must be an array`);
  for (const rule of profile.rules) {
    if ((rule.select === undefined) === (rule.extension === undefined)) throw new DeidConfigError(`${where}: each rule needs one of "select" or "extension" (${JSON.stringify(rule)})`);
    if (!METHODS.includes(rule.method)) throw new DeidConfigError(`${where}: unknown method "${String(rule.method)}" (one of ${METHODS.join(', ')})`);
  }
  if (profile.ageLimit !== undefined && !(Number.isInteger(profile.ageLimit) && profile.ageLimit > 0)) throw new DeidConfigError(`${where}: "ageLimit" must be a positive integer`);
  if (profile.maxShiftDays !== undefined && !(Number.isInteger(profile.maxShiftDays) && profile.maxShiftDays > 0)) throw new DeidConfigError(`${where}: "maxShiftDays" must be a positive integer`);
  if (profile.restrictedZip3 !== undefined && !(Array.isArray(profile.restrictedZip3) && profile.restrictedZip3.every((z) => /^\d{3}$/.test(z)))) {
    throw new DeidConfigError(`${where}: "restrictedZip3" must list three-digit strings`);
  }
}

function readProfile(name: string): DeidProfile {
  const known = knownProfiles();
  if (!known.includes(name)) throw new DeidConfigError(`unknown de-identification profile "${name}" (known: ${known.join(', ')})`);
  return JSON.parse(readFileSync(new URL(`${name}.json`, DIRECTORY), 'utf8')) as DeidProfile;
}

/** A profile with its base's rules and settings merged in, checked for shape (selectors are checked when compiled). */
export function resolveProfile(profile: DeidProfile, seen: string[] = []): DeidProfile {
  checkShape(profile);
  if (profile.extends === undefined) return profile;
  if (seen.includes(profile.extends) || profile.extends === profile.name) throw new DeidConfigError(`de-identification profile "${profile.name}" extends itself through "${profile.extends}"`);
  const base = resolveProfile(readProfile(profile.extends), [...seen, profile.name]);
  const own = new Set(profile.rules.map(ruleKey));
  const { extends: _, ...rest } = profile;
  return {
    ...base,
    ...rest,
    rules: [...base.rules.filter((r) => !own.has(ruleKey(r))), ...profile.rules],
  };
}

/** A shipped profile by name, resolved; an unknown name is refused with the list of known ones. */
export function loadProfile(name: string): DeidProfile {
  return resolveProfile(readProfile(name));
}
