/**
 * Blocking: only records that share a key are compared, so a store of N patients costs a few comparisons
 * per record instead of N²/2. A duplicate needs to share just one key with its original, so the keys are
 * chosen to survive different errors:
 * - birth year, the surname's NYSIIS code and the first name's initial: a mistyped month or day, a move, a new phone;
 * - NYSIIS codes of first and last name with the birth month: a mistyped year or day (with the key above, any
 *   one wrong part of the birth date);
 * - the birth date with day and month in order: any change of name, and day and month transposed;
 * - street address, phone, e-mail, and each identifier: everything but themselves.
 *
 * A key shared by more than MAX_BLOCK records (a placeholder phone, a very common name in one year) is
 * skipped: it would cost quadratic time for pairs the other keys mostly bring anyway.
 */
import { birthDateBlock } from './date-comparison.js';
import type { PatientFeatures } from './patient-features.js';

export const MAX_BLOCK = 250;

/** The blocking keys of a record. */
export function blockingKeys(f: PatientFeatures): string[] {
  const keys = new Set<string>();
  const year = f.birthDate?.slice(0, 4);
  const month = f.birthDate?.slice(5, 7) ?? '';
  const given = f.given[0]?.code;
  for (const family of f.family) {
    if (!family.code) continue;
    if (year && given) keys.add(`fy:${year}:${family.code}:${given[0]}`);
    if (given) keys.add(`gf:${given}:${family.code}:${month}`);
  }
  if (f.birthDate) keys.add(`bd:${birthDateBlock(f.birthDate)}`);
  for (const a of f.addresses) if (a.line && (a.postalCode || a.city)) keys.add(`ad:${a.line}|${a.postalCode || a.city}`);
  for (const p of f.phones) keys.add(`ph:${p}`);
  for (const e of f.emails) keys.add(`em:${e}`);
  for (const { system, values } of f.identifiers) for (const value of values) keys.add(`id:${system}|${value}`);
  return [...keys];
}

export interface CandidatePairs {
  /** Indexes into the features array; left < right; each pair once. */
  left: Int32Array;
  right: Int32Array;
  /** Keys skipped for holding more than MAX_BLOCK records. */
  skippedBlocks: number;
}

/** Every pair of records sharing a blocking key, plus `extra` pairs (indexes), each once. */
export function candidatePairs(features: readonly PatientFeatures[], extra: [number, number][] = []): CandidatePairs {
  const blocks = new Map<string, number[]>();
  features.forEach((f, i) => {
    for (const key of blockingKeys(f)) (blocks.get(key) ?? blocks.set(key, []).get(key)!).push(i);
  });
  // Pairs as i·n + j in one growable array, sorted and de-duplicated: far leaner than a Set of millions.
  const n = features.length;
  let codes = new Float64Array(Math.max(1024, n * 4));
  let size = 0;
  const push = (i: number, j: number) => {
    if (size === codes.length) {
      const bigger = new Float64Array(codes.length * 2);
      bigger.set(codes);
      codes = bigger;
    }
    codes[size++] = i < j ? i * n + j : j * n + i;
  };
  let skippedBlocks = 0;
  for (const members of blocks.values()) {
    if (members.length < 2) continue;
    if (members.length > MAX_BLOCK) {
      skippedBlocks++;
      continue;
    }
    for (let x = 0; x < members.length; x++) for (let y = x + 1; y < members.length; y++) push(members[x], members[y]);
  }
  for (const [i, j] of extra) if (i !== j) push(i, j);
  const sorted = codes.subarray(0, size).sort();
  let unique = 0;
  for (let k = 0; k < size; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[unique++] = sorted[k];
  const left = new Int32Array(unique);
  const right = new Int32Array(unique);
  for (let k = 0; k < unique; k++) {
    left[k] = Math.floor(sorted[k] / n);
    right[k] = sorted[k] - left[k] * n;
  }
  return { left, right, skippedBlocks };
}
