/**
 * Nicknames for the generator's given names (schemas/generate/nicknames.json, data so it can be extended
 * without code): a second registration often carries the name a person goes by, "Bill" for William. The
 * generator's numeric suffix stays on, as it does on every generated name.
 */
import { readFileSync } from 'node:fs';
import type { Random } from './prng.js';

/** Formal given name → the nicknames it commonly has. */
export const NICKNAMES: Record<string, string[]> = JSON.parse(readFileSync(new URL('../../schemas/generate/nicknames.json', import.meta.url), 'utf8')).nicknames;

/** The nicknames of a generated given name (`William12` → `Bill12`, `Will12`, …); none when it has no usual one. */
export function nicknamesOf(given: string): string[] {
  const [, letters, suffix] = /^(.*?)(\d*)$/.exec(given)!;
  return (NICKNAMES[letters] ?? []).map((n) => n + suffix);
}

/** One nickname of `given`, or undefined. */
export function nicknameOf(rng: Random, given: string): string | undefined {
  const all = nicknamesOf(given);
  return all.length ? rng.pick(all) : undefined;
}
