/**
 * An absolute URI as the HL7 reference validator tells one (its `Utilities.isAbsoluteUrl`): a scheme that is a
 * lower-case token (a letter, then letters, digits, `_`, `[` or `]`), a colon, then something without spaces.
 * @see https://hl7.org/fhir/R4/datatypes.html#uri
 */
const SCHEME = /^[A-Za-z][A-Za-z0-9_[\]]*$/;

export function isAbsoluteUrl(url: string): boolean {
  const colon = url.indexOf(':');
  if (colon < 0) return false;
  const scheme = url.slice(0, colon);
  const rest = url.slice(colon + 1);
  return SCHEME.test(scheme) && scheme === scheme.toLowerCase() && rest.length > 0 && !rest.includes(' ');
}
