/**
 * Conversion of the values a search parameter's expression selects into index entries, by parameter type
 * and by the FHIR type of the value (e.g. a token parameter over a CodeableConcept indexes each coding).
 * Values of a type a parameter type cannot use (a SampledData for a quantity) are not indexed.
 * @see https://hl7.org/fhir/R4/search.html#ptypes
 */
import type { Address, CodeableConcept, Coding, HumanName, Identifier, Money, Period, Quantity, Range, Reference, Timing } from 'fhir/r4.js';
import { OPEN_HIGH, OPEN_LOW, dateInterval } from './date-interval.js';
import { normaliseString } from './normalise-string.js';
import { parseReference } from './parse-reference.js';
import type { IndexEntries, IndexedParamType } from './types.js';

const CURRENCY_SYSTEM = 'urn:iso:std:iso:4217';

function addCoding(e: IndexEntries, code: string, coding: Coding): void {
  if (typeof coding.code === 'string') e.tokens.push({ code, system: coding.system ?? null, value: coding.code });
}

function addToken(e: IndexEntries, code: string, value: unknown, type: string): void {
  if (typeof value !== 'object') {
    if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') e.tokens.push({ code, system: null, value: String(value) });
    return;
  }
  if (type === 'CodeableConcept') {
    const codings = (value as CodeableConcept).coding;
    if (codings) for (let i = 0; i < codings.length; i++) if (codings[i]) addCoding(e, code, codings[i]);
  } else if (type === 'Coding') addCoding(e, code, value as Coding);
  else if (type === 'Identifier') {
    const id = value as Identifier;
    if (typeof id.value === 'string') e.tokens.push({ code, system: id.system ?? null, value: id.value });
  } else if (type === 'ContactPoint') {
    const v = (value as { value?: unknown }).value;
    if (typeof v === 'string') e.tokens.push({ code, system: null, value: v });
  }
}

function addText(e: IndexEntries, code: string, value: unknown): void {
  if (typeof value !== 'string') return;
  const normalised = normaliseString(value);
  if (normalised.length > 0) e.strings.push({ code, value: normalised });
}

function addTexts(e: IndexEntries, code: string, values: unknown): void {
  if (Array.isArray(values)) for (let i = 0; i < values.length; i++) addText(e, code, values[i]);
}

function addString(e: IndexEntries, code: string, value: unknown, type: string): void {
  if (typeof value === 'string') addText(e, code, value);
  else if (type === 'HumanName') {
    const n = value as HumanName;
    addText(e, code, n.family);
    addTexts(e, code, n.given);
    addTexts(e, code, n.prefix);
    addTexts(e, code, n.suffix);
    addText(e, code, n.text);
  } else if (type === 'Address') {
    const a = value as Address;
    addTexts(e, code, a.line);
    addText(e, code, a.city);
    addText(e, code, a.district);
    addText(e, code, a.state);
    addText(e, code, a.postalCode);
    addText(e, code, a.country);
    addText(e, code, a.text);
  }
}

/** A Period as one interval; an open end is unbounded. */
function periodInterval(p: Period): { lo: number; hi: number } | null {
  const start = typeof p.start === 'string' ? dateInterval(p.start) : null;
  const end = typeof p.end === 'string' ? dateInterval(p.end) : null;
  if (start === null && end === null) return null;
  return { lo: start ? start.lo : OPEN_LOW, hi: end ? end.hi : OPEN_HIGH };
}

/** A Timing by its outer limits: its events and its repeat bounds, as one interval. */
function timingInterval(t: Timing): { lo: number; hi: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  const widen = (i: { lo: number; hi: number } | null) => {
    if (i === null) return;
    if (i.lo < lo) lo = i.lo;
    if (i.hi > hi) hi = i.hi;
  };
  for (const event of t.event ?? []) if (typeof event === 'string') widen(dateInterval(event));
  if (t.repeat?.boundsPeriod) widen(periodInterval(t.repeat.boundsPeriod));
  return lo === Infinity ? null : { lo, hi };
}

function addDate(e: IndexEntries, code: string, value: unknown, type: string): void {
  const interval =
    typeof value === 'string' ? dateInterval(value)
    : type === 'Period' ? periodInterval(value as Period)
    : type === 'Timing' ? timingInterval(value as Timing)
    : null;
  if (interval !== null) e.dates.push({ code, lo: interval.lo, hi: interval.hi });
}

function addReference(e: IndexEntries, code: string, value: unknown, type: string): void {
  if (typeof value === 'string') {
    // canonical and uri targets are matched by their text
    if (value.length > 0) e.references.push({ code, type: null, id: null, url: value });
    return;
  }
  if (type !== 'Reference') return;
  const reference = (value as Reference).reference;
  const parsed = typeof reference === 'string' ? parseReference(reference) : null;
  if (parsed !== null) e.references.push({ code, type: parsed.type, id: parsed.id, url: parsed.url });
}

function addQuantity(e: IndexEntries, code: string, q: Quantity | undefined): void {
  if (q && typeof q.value === 'number') e.numbers.push({ code, value: q.value, system: q.system ?? null, unit: q.code ?? q.unit ?? null });
}

function addNumber(e: IndexEntries, code: string, value: unknown, type: string): void {
  if (typeof value === 'number') e.numbers.push({ code, value, system: null, unit: null });
  else if (type === 'Money') {
    const m = value as Money;
    if (typeof m.value === 'number') e.numbers.push({ code, value: m.value, system: CURRENCY_SYSTEM, unit: m.currency ?? null });
  } else if (type === 'Range') {
    // A Range is indexed by its two limits.
    addQuantity(e, code, (value as Range).low);
    addQuantity(e, code, (value as Range).high);
  } else if (type === 'Quantity' || type === 'Age' || type === 'Duration' || type === 'Count' || type === 'Distance' || type === 'SimpleQuantity') {
    addQuantity(e, code, value as Quantity);
  }
}

/** Adds the entries `value` (of FHIR type `type`) contributes to parameter `code` of type `paramType`. */
export function addIndexValue(e: IndexEntries, code: string, paramType: IndexedParamType, value: unknown, type: string): void {
  switch (paramType) {
    case 'token': return addToken(e, code, value, type);
    case 'string': return addString(e, code, value, type);
    case 'date': return addDate(e, code, value, type);
    case 'reference': return addReference(e, code, value, type);
    case 'number':
    case 'quantity': return addNumber(e, code, value, type);
    case 'uri':
      if (typeof value === 'string' && value.length > 0) e.uris.push({ code, value });
  }
}
