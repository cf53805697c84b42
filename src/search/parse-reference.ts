/**
 * Reading a Reference.reference string: `Type/id` and `Type/id/_history/v` give type and id; anything else
 * (absolute URLs, `urn:uuid:`, conditional `Type?…`) is kept whole as a url; contained `#x` gives nothing.
 * @see https://hl7.org/fhir/R4/references.html#literal
 */

export interface ParsedReference {
  type: string | null;
  id: string | null;
  url: string | null;
}

const RELATIVE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** The parts of a literal reference, or null for a contained (`#x`) or empty reference. */
export function parseReference(reference: string): ParsedReference | null {
  if (reference.length === 0 || reference.charCodeAt(0) === 35 /* # */) return null;
  const m = RELATIVE.exec(reference);
  return m === null ? { type: null, id: null, url: reference } : { type: m[1], id: m[2], url: null };
}
