/**
 * References rewritten with the same pseudonyms as the ids they point at, in every form R4 writes them:
 * `Type/id[/_history/v]` (relative or after a base URL), `urn:uuid:` (typed by the Bundle entry whose fullUrl
 * it is), `#id` to a contained resource, and conditional `Type?identifier=system|value`, whose value is
 * pseudonymised as Identifier.value is, so it still finds its (pseudonymised) target. Other search parameters
 * of a conditional reference, and URLs of other shapes, are left as they are.
 * @see https://hl7.org/fhir/R4/references.html#literal
 * @see https://hl7.org/fhir/R4/http.html#trules
 */
import type { Pseudonymiser } from './pseudonym.js';

/** The type that `#id` pseudonyms are made under: contained ids are local to their container. */
export const CONTAINED = '#';

/** The type an unresolved `urn:uuid:` is pseudonymised under (one no Bundle entry gave a type to). */
const UNTYPED_URN = 'urn:uuid';

const LITERAL = /^(.*\/)?([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;
const CONDITIONAL = /^([A-Z][A-Za-z]+)\?(.*)$/;

/** A search query (`identifier=system|value&_id=x`) with identifier values and ids pseudonymised. */
export function rewriteQuery(query: string, type: string | undefined, p: Pseudonymiser): string {
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      const name = part.slice(0, eq);
      const base = name.split(':')[0];
      const value = part.slice(eq + 1);
      if (base === 'identifier') {
        // system|value, or a value alone; `\|` is an escaped bar inside either part.
        const bar = value.search(/(?<!\\)\|(?!.*(?<!\\)\|)/);
        const system = bar < 0 ? '' : value.slice(0, bar + 1);
        const code = bar < 0 ? value : value.slice(bar + 1);
        return code === '' ? part : `${name}=${system}${encodeURIComponent(p.value(decode(code)))}`;
      }
      if (base === '_id' && type !== undefined) return `${name}=${value.split(',').map((id) => p.id(type, decode(id))).join(',')}`;
      return part;
    })
    .join('&');
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return value;
  }
}

/**
 * A Reference.reference, fullUrl or request URL with its ids pseudonymised; `urnTypes` gives the type of each
 * `urn:uuid:` fullUrl in the Bundle at hand.
 */
export function rewriteReference(reference: string, p: Pseudonymiser, urnTypes?: ReadonlyMap<string, string>): string {
  if (reference.startsWith('#')) return reference.length === 1 ? reference : `#${p.id(CONTAINED, reference.slice(1))}`;
  if (reference.startsWith('urn:uuid:')) return `urn:uuid:${p.id(urnTypes?.get(reference) ?? UNTYPED_URN, reference.slice(9))}`;
  if (reference.startsWith('urn:oid:')) return p.value(reference);
  const conditional = CONDITIONAL.exec(reference);
  if (conditional !== null) return `${conditional[1]}?${rewriteQuery(conditional[2], conditional[1], p)}`;
  const literal = LITERAL.exec(reference);
  if (literal !== null) return `${literal[1] ?? ''}${literal[2]}/${p.id(literal[2], literal[3])}${literal[4] ?? ''}`;
  return reference;
}
