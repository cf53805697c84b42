/**
 * What the matcher looks at in a Patient, extracted once per record so that comparing a pair costs string
 * comparisons only: names split into letters and the digits a generated name carries, phonetic codes, the birth
 * date, sex, normalised addresses, phone numbers, e-mail addresses and identifiers (split into those of the
 * person, shared by all their records, and those of one registration).
 */
import type { Identifier, Patient } from 'fhir/r4.js';
import { normaliseString } from '../search/normalise-string.js';
import { nysiis } from './nysiis.js';

export interface NamePart {
  /** Lower case, letters and digits only: "O'Brien-Smith" → "obriensmith". */
  text: string;
  letters: string;
  /** The digits of the name: generated names carry a number ("Sanders860") that tells namesakes apart. */
  digits: string;
  /** NYSIIS code of the letters. */
  code: string;
}

export interface PatientFeatures {
  id: string;
  /** The first given name of each name, the official (or first) name's first. */
  given: NamePart[];
  /** The family name of each name (maiden and former names too), the official name's first. */
  family: NamePart[];
  /** `YYYY-MM-DD`; partial dates take no part. */
  birthDate?: string;
  gender?: string;
  addresses: { line: string; postalCode: string; city: string }[];
  /** Digits only, the last ten. */
  phones: string[];
  emails: string[];
  /**
   * Identifiers by system. Those of the person (SSN, licence, passport…) disagree when the same system holds
   * different values; those a registration issues (MRN…) only count when equal: a new registration gets a new one.
   */
  identifiers: { system: string; values: string[]; person: boolean }[];
}

/**
 * Identifier types of a person rather than of one record (HL7 v2 table 0203): social security, driver's
 * licence, passport, national person or health-plan numbers, Medicare and Medicaid numbers, tax id.
 * @see https://terminology.hl7.org/CodeSystem-v2-0203.html
 */
const PERSON_ID_TYPES = new Set(['SS', 'DL', 'PPN', 'NI', 'NH', 'MC', 'MA', 'SB', 'TAX', 'CZ', 'HC']);
const PERSON_ID_SYSTEMS = new Set(['http://hl7.org/fhir/sid/us-ssn', 'urn:oid:2.16.840.1.113883.4.1', 'http://hl7.org/fhir/sid/us-mbi', 'http://hl7.org/fhir/sid/us-medicare']);

/** Common words of US street addresses and their USPS abbreviations, so "12 Elm Street" equals "12 Elm St.". */
const STREET_WORDS: Record<string, string> = {
  street: 'st', avenue: 'ave', road: 'rd', drive: 'dr', lane: 'ln', boulevard: 'blvd', court: 'ct', place: 'pl',
  terrace: 'ter', circle: 'cir', highway: 'hwy', parkway: 'pkwy', square: 'sq', trail: 'trl', apartment: 'apt',
  suite: 'ste', north: 'n', south: 's', east: 'e', west: 'w',
};

const alnum = (s: string | undefined) => normaliseString(s ?? '').replace(/[^a-z0-9]+/g, '');

function namePart(raw: string | undefined): NamePart | undefined {
  const text = alnum(raw);
  if (!text) return undefined;
  const letters = text.replace(/[0-9]+/g, '');
  return { text, letters, digits: text.replace(/[a-z]+/g, ''), code: nysiis(letters) };
}

function distinct(parts: (NamePart | undefined)[]): NamePart[] {
  const seen = new Set<string>();
  return parts.filter((p): p is NamePart => p !== undefined && !seen.has(p.text) && (seen.add(p.text), true));
}

function addressLine(line: string): string {
  return normaliseString(line).replace(/[^a-z0-9 ]+/g, ' ').split(' ').filter(Boolean).map((w) => STREET_WORDS[w] ?? w).join(' ');
}

/**
 * Identifier systems as one shared string each: equal systems are then the same string, which a comparison
 * recognises at once instead of reading both (a whole-store match compares millions of pairs). Bounded, so
 * a stream of made-up systems cannot grow it without end; systems beyond the bound are merely compared slower.
 */
const SYSTEMS = new Map<string, string>();
const MAX_SYSTEMS = 10_000;
function shared(system: string): string {
  const known = SYSTEMS.get(system);
  if (known !== undefined) return known;
  if (SYSTEMS.size < MAX_SYSTEMS) SYSTEMS.set(system, system);
  return system;
}

const isPersonId = (i: Identifier) => (i.system !== undefined && PERSON_ID_SYSTEMS.has(i.system)) || (i.type?.coding ?? []).some((c) => c.code !== undefined && PERSON_ID_TYPES.has(c.code));
const idValue = (v: string) => v.toUpperCase().replace(/[^A-Z0-9]+/g, '');

export function patientFeatures(patient: Patient & { id?: string }): PatientFeatures {
  const names = [...(patient.name ?? [])].sort((a, b) => Number(b.use === 'official') - Number(a.use === 'official'));
  const birthDate = /^\d{4}-\d{2}-\d{2}$/.test(patient.birthDate ?? '') ? patient.birthDate : undefined;
  const gender = patient.gender === 'male' || patient.gender === 'female' ? patient.gender : patient.gender === 'other' ? 'other' : undefined;
  const addresses = (patient.address ?? [])
    .map((a) => ({ line: addressLine((a.line ?? []).join(' ')), postalCode: alnum(a.postalCode).slice(0, 5), city: alnum(a.city) }))
    .filter((a) => a.line || a.postalCode || a.city);
  const telecom = patient.telecom ?? [];
  const phones = [...new Set(telecom.filter((t) => t.system === 'phone' || t.system === 'sms').map((t) => (t.value ?? '').replace(/\D+/g, '').slice(-10)).filter((v) => v.length >= 7))];
  const emails = [...new Set(telecom.filter((t) => t.system === 'email').map((t) => (t.value ?? '').trim().toLowerCase()).filter(Boolean))];
  const identifiers: PatientFeatures['identifiers'] = [];
  for (const i of patient.identifier ?? []) {
    if (!i.value) continue;
    const person = isPersonId(i);
    const system = shared(i.system ?? `type:${i.type?.coding?.find((c) => c.code)?.code ?? ''}`);
    let entry = identifiers.find((e) => e.system === system);
    if (!entry) identifiers.push((entry = { system, values: [], person }));
    entry.values.push(person ? idValue(i.value) : i.value);
  }
  return {
    id: patient.id ?? '',
    given: distinct(names.map((n) => namePart(n.given?.[0]))),
    family: distinct(names.map((n) => namePart(n.family))),
    birthDate,
    gender,
    addresses,
    phones,
    emails,
    identifiers,
  };
}
