/**
 * An Identifier whose system is `urn:ietf:rfc:3986` says its value is itself a URI, so the value must be an
 * absolute one. As the reference validator tells them: a scheme that is a token (a letter, then letters,
 * digits, `_`, `[` or `]`), a colon, and for `file:` a path or authority after it. An OID's dotted digits
 * (`2.16.840.1…`) are not a URI; written `urn:oid:2.16.840.1…` they are.
 * @see https://hl7.org/fhir/R4/datatypes.html#Identifier
 * @see https://hl7.org/fhir/R4/identifier-registry.html
 */
import { issue } from '../fhir/outcomes.js';
import { pathOf, type WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

const TOKEN = /^[A-Za-z][A-Za-z0-9_[\]]*$/;

/** Whether `value` is an absolute URI in the reference validator's sense. */
export function isAbsoluteUri(value: string): boolean {
  const colon = value.indexOf(':');
  if (colon < 0) return false;
  const scheme = value.slice(0, colon);
  if (!TOKEN.test(scheme)) return false;
  const rest = value.slice(colon + 1);
  return scheme !== 'file' || rest.startsWith('/') || rest.includes(':');
}

export function checkIdentifier(node: Json, ctx: WalkContext): void {
  if (node.system !== 'urn:ietf:rfc:3986' || typeof node.value !== 'string' || isAbsoluteUri(node.value)) return;
  ctx.issues.push(
    issue('error', 'code-invalid', `If identifier.system is 'urn:ietf:rfc:3986', the identifier.value must be a full URI (starting with a scheme), not '${node.value.slice(0, 200)}'`, pathOf(ctx)),
  );
}
