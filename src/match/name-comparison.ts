/**
 * Comparing names: the best agreement between any name of one record and any of the other (so a maiden name
 * on one record meets the same surname on the other). Levels, best first: exact, a nickname (given names
 * only), close (one keying error, or Jaro-Winkler ≥ 0.92), similar (Jaro-Winkler ≥ 0.80 or the same NYSIIS
 * code), different. Names whose numbers differ ("Sanders860", "Sanders123") are different names: generated
 * data numbers namesakes, and no keying error touches the number.
 */
import { withinOneEdit } from './edit-distance.js';
import { jaroWinkler } from './jaro-winkler.js';
import { sameNameForms } from './nicknames.js';
import type { NamePart } from './patient-features.js';

/** Winkler's cut-offs for "the same name mistyped" and "perhaps the same name" (Census Bureau practice). */
const CLOSE_SIMILARITY = 0.92;
const SIMILAR_SIMILARITY = 0.8;

export const GIVEN_LEVELS = ['exact', 'nickname', 'close', 'similar', 'different'] as const;
export const FAMILY_LEVELS = ['exact', 'close', 'similar', 'different'] as const;

// Level indexes: given names have a nickname level that surnames lack, so a surname's levels are shifted.
const EXACT = 0;
const NICKNAME = 1;
const CLOSE = 2;
const SIMILAR = 3;
const DIFFERENT = 4;

/** The level of two names on the given-name scale (exact … different). */
function compareParts(a: NamePart, b: NamePart, nicknames: boolean): number {
  if (a.text === b.text) return EXACT;
  if (a.digits !== '' && b.digits !== '' && a.digits !== b.digits) return DIFFERENT;
  if (!a.letters || !b.letters) return DIFFERENT;
  if (a.letters === b.letters) return EXACT;
  if (nicknames && sameNameForms(a.letters, b.letters)) return NICKNAME;
  if (withinOneEdit(a.letters, b.letters)) return CLOSE;
  const jw = jaroWinkler(a.letters, b.letters);
  if (jw >= CLOSE_SIMILARITY) return CLOSE;
  return jw >= SIMILAR_SIMILARITY || (a.code !== '' && a.code === b.code) ? SIMILAR : DIFFERENT;
}

/** The best level over every pair of names, on the given-name scale; -1 when either record has none. */
function bestLevel(a: NamePart[], b: NamePart[], nicknames: boolean): number {
  if (a.length === 0 || b.length === 0) return -1;
  let best = DIFFERENT;
  for (const x of a) {
    for (const y of b) {
      const level = compareParts(x, y, nicknames);
      if (level < best) best = level;
      if (best === EXACT) return EXACT;
    }
  }
  return best;
}

export const compareGiven = (a: NamePart[], b: NamePart[]) => bestLevel(a, b, true);
/** Surnames have no nickname level: close, similar and different move up by one. */
export const compareFamily = (a: NamePart[], b: NamePart[]) => {
  const level = bestLevel(a, b, false);
  return level > NICKNAME ? level - 1 : level;
};
/** The name text both lists hold, for the term-frequency adjustment of an exact agreement; the first one's first. */
export function agreedName(a: NamePart[], b: NamePart[]): string | undefined {
  for (const x of a) if (b.some((y) => y.text === x.text || (y.letters === x.letters && y.digits === x.digits))) return x.text;
  return undefined;
}
