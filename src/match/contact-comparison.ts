/**
 * Comparing where and how a person is reached: address (same street line and postal code or city; same postal
 * code or city only; different), phone numbers and e-mail addresses (any one shared; none shared). A missing
 * value on either side is no evidence either way (-1).
 */
import type { PatientFeatures } from './patient-features.js';

export const ADDRESS_LEVELS = ['same', 'same-area', 'different'] as const;
export const SHARED_LEVELS = ['same', 'different'] as const;

export function compareAddress(a: PatientFeatures['addresses'], b: PatientFeatures['addresses']): number {
  if (a.length === 0 || b.length === 0) return -1;
  let best = 2;
  for (const x of a) {
    for (const y of b) {
      const sameArea = (x.postalCode !== '' && x.postalCode === y.postalCode) || (x.city !== '' && x.city === y.city);
      if (sameArea && x.line !== '' && x.line === y.line) return 0;
      if (sameArea) best = 1;
    }
  }
  return best;
}

/** Whether any value is shared (0), none is (1), or either side has none (-1). */
export function compareShared(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return -1;
  return a.some((v) => b.includes(v)) ? 0 : 1;
}
