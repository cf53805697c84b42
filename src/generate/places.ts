/**
 * Addresses with real city/ZIP pairs of the chosen state, from the `zipcodes` registry package (US ZIP code
 * data with coordinates). Lists are sorted so the choice depends only on the seed.
 */
import zipcodes, { type ZipInfo } from 'zipcodes';
import type { Random } from './prng.js';
import { NAMES } from './tables.js';

const byState = new Map<string, ZipInfo[]>();

/** The ZIP codes of a state, sorted by ZIP. */
export function zipsOf(state: string): ZipInfo[] {
  let zips = byState.get(state);
  if (!zips) {
    zips = zipcodes
      .lookupByState(state)
      .filter((z) => z.city && /^\d{5}$/.test(z.zip))
      .sort((a, b) => (a.zip < b.zip ? -1 : a.zip > b.zip ? 1 : 0));
    byState.set(state, zips);
  }
  return zips;
}

/** The distinct city names of a state, as the registry spells them. */
export function citiesOf(state: string): string[] {
  return [...new Set(zipsOf(state).map((z) => z.city))];
}

export interface Place {
  line: string;
  city: string;
  state: string;
  postalCode: string;
  latitude: number;
  longitude: number;
}

/** A street address in `state` (in `city` when given): a real city and one of its ZIP codes. */
export function randomPlace(rng: Random, state: string, city?: string): Place {
  const all = zipsOf(state);
  const zips = city ? all.filter((z) => z.city === city) : all;
  const zip = rng.pick(zips);
  const line = `${rng.int(1, 9999)} ${rng.pick(NAMES.streets)} ${rng.pick(NAMES.streetSuffixes)}${rng.chance(0.15) ? ` Unit ${rng.int(1, 99)}` : ''}`;
  // Jitter inside the ZIP area (~2 km) so people of one ZIP do not share one point.
  const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
  return { line, city: zip.city, state, postalCode: zip.zip, latitude: round6(zip.latitude + rng.range(-0.02, 0.02)), longitude: round6(zip.longitude + rng.range(-0.02, 0.02)) };
}
