/**
 * Base64 (RFC 4648 §4) read in one pass over the characters, without a copy, a regular expression or a
 * decode: base64Binary values (Attachment.data, Binary.data) can be megabytes.
 * @see https://hl7.org/fhir/R4/datatypes.html#base64Binary
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-4
 */

const EQUALS = 61;

/** What each character below 128 is to Base64: the alphabet (A-Z, a-z, 0-9, + and /), padding, whitespace, or none. */
const NONE = 0;
const ALPHABET = 1;
const PAD = 2;
const SPACE = 3;
const KIND = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') KIND[c.charCodeAt(0)] = ALPHABET;
KIND[EQUALS] = PAD;
// XML whitespace and form feed: the line breaks and indentation wrapped Base64 carries.
for (const c of ' \n\r\t\f') KIND[c.charCodeAt(0)] = SPACE;

const kind = (c: number) => (c < 128 ? KIND[c] : NONE);

export interface Base64Check {
  /** Alphabet characters in groups of four, the last group padded with at most two '=' and nothing after them. */
  valid: boolean;
  /** Whitespace between the characters, which R4 tolerates but RFC 4648 does not. */
  whitespace: boolean;
  /** The size decoded, when valid. */
  bytes: number;
}

/** Whether `s` is Base64, whitespace aside. */
export function checkBase64(s: string): Base64Check {
  let count = 0;
  let padding = 0;
  let whitespace = false;
  for (let i = 0; i < s.length; i++) {
    const k = kind(s.charCodeAt(i));
    if (k === ALPHABET && padding === 0) {
      count++;
    } else if (k === SPACE) {
      whitespace = true;
    } else if (k === PAD) {
      count++;
      if (++padding > 2) return { valid: false, whitespace, bytes: 0 };
    } else {
      return { valid: false, whitespace, bytes: 0 };
    }
  }
  return { valid: count % 4 === 0, whitespace, bytes: (count / 4) * 3 - padding };
}

/**
 * Why java.util.Base64's basic decoder, which the reference validator decodes Attachment.data and
 * Attachment.hash with, refuses `s` (in the decoder's words), or undefined when it decodes: no whitespace or
 * other character outside the alphabet, padding optional but only as the end of the last group, and no last
 * group of a single character.
 */
export function strictBase64Problem(s: string): string | undefined {
  let data = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === EQUALS) {
      const inGroup = data % 4;
      // `xx==` or `xxx=`, and nothing after.
      const end = inGroup === 2 && s.charCodeAt(i + 1) === EQUALS ? i + 2 : inGroup === 3 ? i + 1 : -1;
      if (end < 0) return 'Input byte array has wrong 4-byte ending unit';
      if (end < s.length) return `Input byte array has incorrect ending byte at ${end}`;
      break;
    }
    if (kind(c) !== ALPHABET) return `Illegal base64 character ${c.toString(16)}`;
    data++;
  }
  return data % 4 === 1 ? 'Last unit does not have enough valid bits' : undefined;
}
