/**
 * Comparing identifiers. A shared value in any system is strong evidence for (two registrations of one person
 * keep their SSN); the same person-level system with different values is evidence against (two people); a
 * record-level identifier (an MRN) that differs says nothing, since every registration gets its own. Levels:
 * agree (shared, no conflict), mixed (shared and conflicting: one number mistyped, or a new licence), conflict.
 */
import type { PatientFeatures } from './patient-features.js';

export const IDENTIFIER_LEVELS = ['agree', 'mixed', 'conflict'] as const;

/** The level index, or -1 when the records share no identifier and no person-level system. */
export function compareIdentifiers(a: PatientFeatures, b: PatientFeatures): number {
  let shared = false;
  let conflict = false;
  // Indexed loops over strings straight from the parsed resource: this runs for millions of pairs.
  for (let i = 0; i < a.identifiers.length; i++) {
    const mine = a.identifiers[i];
    for (let j = 0; j < b.identifiers.length; j++) {
      const theirs = b.identifiers[j];
      if (theirs.system !== mine.system) continue;
      if (overlap(mine.values, theirs.values)) shared = true;
      else if (mine.person) conflict = true;
    }
  }
  if (shared) return conflict ? 1 : 0;
  return conflict ? 2 : -1;
}

function overlap(a: string[], b: string[]): boolean {
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) if (a[i] === b[j]) return true;
  return false;
}
