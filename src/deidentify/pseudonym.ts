/**
 * Keyed pseudonyms: HMAC-SHA256 with the caller's key, so the same input maps to the same output in every
 * file and run with that key (references stay intact across files), and nobody without the key can map an
 * input to its pseudonym to test a guess. Outputs keep the shape the element needs: a resource id is a UUID
 * (a valid FHIR id and a valid `urn:uuid:`), an OID stays an OID (a UUID under 2.25, ISO/IEC 9834-8), a URI
 * stays a URI.
 */
import { createHmac } from 'node:crypto';

export interface Pseudonymiser {
  /** The pseudonym of resource `type`/`id`: a UUID, 36 characters of [0-9a-f-]. */
  id(type: string, id: string): string;
  /** The pseudonym of an identifier value or other string, in the same shape (UUID, OID, `urn:uuid:`/`urn:oid:` URI). */
  value(value: string): string;
  /** The patient's date shift in whole days: 1 to `maxDays` either way, never 0 (a 0 would leave dates true). */
  shiftDays(patientId: string, maxDays: number): number;
}

/** Past this many entries the cache starts afresh: it only saves recomputing the references met most. */
const CACHE_LIMIT = 200_000;

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

/** 16 bytes as a UUID, marked version 8 (RFC 9562's custom layout) with the RFC variant. */
function uuidOf(digest: Buffer): string {
  const b = Buffer.from(digest.subarray(0, 16));
  b[6] = (b[6] & 0x0f) | 0x80;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The OID ISO/IEC 9834-8 gives a UUID: 2.25 and the UUID as a decimal integer (at most 44 characters). */
const oidOf = (uuid: string) => `2.25.${BigInt(`0x${uuid.replaceAll('-', '')}`).toString()}`;

export function createPseudonymiser(key: string): Pseudonymiser {
  if (key.length === 0) throw new Error('a de-identification key is required');
  const cache = new Map<string, string>();
  const digest = (input: string) => createHmac('sha256', key).update(input).digest();
  const cached = (input: string, make: () => string): string => {
    let out = cache.get(input);
    if (out === undefined) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(input, (out = make()));
    }
    return out;
  };
  const uuid = (input: string) => cached(input, () => uuidOf(digest(input)));
  // Every resource of a compartment asks for its patient's shift: one HMAC per patient, not per resource.
  const shifts = new Map<string, number>();
  return {
    id: (type, id) => uuid(`id:${type}/${id}`),
    value(value) {
      const plain = uuid(`value:${value}`);
      if (value.startsWith('urn:uuid:')) return `urn:uuid:${plain}`;
      if (value.startsWith('urn:oid:')) return `urn:oid:${oidOf(plain)}`;
      if (OID.test(value)) return oidOf(plain);
      return SCHEME.test(value) ? `urn:uuid:${plain}` : plain;
    },
    shiftDays(patientId, maxDays) {
      const input = `${maxDays}:${patientId}`;
      let days = shifts.get(input);
      if (days === undefined) {
        const n = digest(`shift:${patientId}`).readUInt32BE(0) % (2 * maxDays);
        days = n < maxDays ? -(n + 1) : n - maxDays + 1;
        if (shifts.size >= CACHE_LIMIT) shifts.clear();
        shifts.set(input, days);
      }
      return days;
    },
  };
}
