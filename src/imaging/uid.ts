/**
 * DICOM UIDs under the `2.25` root: the decimal value of a UUID (PS3.5 B.2), drawn from a seeded PRNG so a
 * re-run produces the same UIDs. dcmjs's own `uid()` is avoided because it can exceed 128 bits.
 * @see https://dicom.nema.org/medical/dicom/current/output/chtml/part05/sect_B.2.html
 */
import type { Random } from '../generate/prng.js';

/** A UID of the form `2.25.<decimal of a random UUID>` (at most 44 characters). */
export function dicomUid(rng: Random): string {
  return `2.25.${BigInt(`0x${rng.uuid().replace(/-/g, '')}`).toString(10)}`;
}

const UID_PATTERN = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+$/;

/** Whether text is a valid DICOM UID (PS3.5 9.1): dot-separated numbers without leading zeros, at most 64 characters. */
export function isDicomUid(text: string): boolean {
  return text.length <= 64 && UID_PATTERN.test(text);
}

/** A 53-bit seed from text (two FNV-1a passes), so each study draws from its own stream. */
export function seedFromText(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
  }
  return (b & 0x1fffff) * 0x100000000 + a;
}
