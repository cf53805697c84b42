/**
 * Bundle rules no FHIRPath invariant states but the HL7 reference validator enforces (its BundleValidator):
 * paging links appear once, and each entry's fullUrl is present (except in transactions and batches and their
 * responses), absolute, and, when it reads as a RESTful URL (`[base/]Type/id`), ends with the entry resource's
 * type and id. `urn:uuid:` and `urn:oid:` fullUrls are absolute and never RESTful, so no id is tied to them.
 * Run on each Bundle node of the walk, so a Bundle inside an entry is judged as well.
 * @see https://hl7.org/fhir/R4/bundle.html#bundle-unique
 * @see https://hl7.org/fhir/R4/bundle.html#bundle-link
 */
import { issue } from '../fhir/outcomes.js';
import { isAbsoluteUrl } from './absolute-url.js';
import { isResourceType } from './fhir-schema.js';
import { pathOf, type WalkContext } from './walk-context.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Paging links name one page each: a relation among these may appear once in a Bundle. */
const SINGLE_RELATIONS = new Set(['self', 'first', 'previous', 'prev', 'next', 'last']);

function checkLinks(links: unknown[], ctx: WalkContext): void {
  const seen = new Set<string>();
  links.forEach((link, i) => {
    const relation = isObject(link) ? link.relation : undefined;
    if (typeof relation !== 'string' || !SINGLE_RELATIONS.has(relation)) return;
    if (seen.has(relation)) ctx.issues.push(issue('error', 'invariant', `The link relation '${relation}' can only occur once`, pathOf(ctx, `.link[${i}]`)));
    seen.add(relation);
  });
}

/**
 * "fullUrl SHALL be present except for transaction and batch entries whose request creates the resource":
 * the reference validator excuses every entry of a transaction, a batch and their responses.
 * @see https://hl7.org/fhir/R4/bundle-definitions.html#Bundle.entry.fullUrl
 */
const FULL_URL_OPTIONAL = new Set(['transaction', 'transaction-response', 'batch', 'batch-response']);

/** Segments of a RESTful URL: the id (and version) of a resource, and each path segment of the server base. */
const LOGICAL_ID = /^[A-Za-z0-9.-]{1,64}$/;
const BASE_SEGMENT = /^[A-Za-z0-9\\.:%$_-]*$/;

/** `Type/id` at `parts[end-2..end-1]`, after a server base of plain segments when the URL has a scheme. */
function restfulAt(parts: string[], end: number, withBase: boolean): boolean {
  if (end < 2 || (!withBase && end !== 2) || !isResourceType(parts[end - 2]) || !LOGICAL_ID.test(parts[end - 1])) return false;
  for (let i = 0; i < end - 2; i++) if (!BASE_SEGMENT.test(parts[i])) return false;
  return true;
}

/**
 * Whether a URL reads as a RESTful resource URL, `[http(s)://base/]Type/id[/_history/version]`, with `Type`
 * a resource type: the reference validator's pattern, matched segment by segment rather than by a regex that
 * would backtrack on a long URL.
 * @see https://hl7.org/fhir/R4/references.html#regex
 */
export function isRestfulUrl(url: string): boolean {
  const scheme = url.startsWith('http://') ? 7 : url.startsWith('https://') ? 8 : 0;
  const parts = url.slice(scheme).split('/');
  const n = parts.length;
  if (restfulAt(parts, n, scheme > 0)) return true;
  return n >= 4 && parts[n - 2] === '_history' && LOGICAL_ID.test(parts[n - 1]) && restfulAt(parts, n - 2, scheme > 0);
}

/** Old v2 and v3 namespaces, whose canonical URLs the reference validator lets a fullUrl repeat. */
const LEGACY_CANONICAL = /^http:\/\/hl7\.org\/fhir\/v[23]\//;

function checkEntry(entry: Json, at: string, fullUrlOptional: boolean, ctx: WalkContext): void {
  const fullUrl = typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined;
  const resource = isObject(entry.resource) && typeof entry.resource.resourceType === 'string' && isResourceType(entry.resource.resourceType) ? entry.resource : undefined;
  const id = typeof resource?.id === 'string' ? resource.id : undefined;
  if (fullUrl === undefined) {
    if (!fullUrlOptional) {
      ctx.issues.push(issue('error', 'required', 'Except for transactions and batches, each entry in a Bundle must have a fullUrl which is the identity of the resource in the entry', at));
    }
    return;
  }
  if (!isAbsoluteUrl(fullUrl)) {
    ctx.issues.push(issue('error', 'invalid', `The fullUrl must be an absolute URL (not '${fullUrl.slice(0, 200)}')`, at));
  } else if (resource && isRestfulUrl(fullUrl)) {
    const type = String(resource.resourceType);
    if (id === undefined) {
      ctx.issues.push(issue('error', 'invalid', `The fullUrl '${fullUrl.slice(0, 200)}' looks like a RESTful server URL, but the resource has no id`, at));
    } else if (!fullUrl.endsWith(`/${type}/${id}`)) {
      ctx.issues.push(issue('error', 'invalid', `The fullUrl '${fullUrl.slice(0, 200)}' looks like a RESTful server URL, so it must end with the correct type and id (/${type}/${id.slice(0, 64)})`, at));
    }
  }
  // A canonical resource's fullUrl may be its canonical URL only when that URL is also where it lives: `…/Type/id`.
  const url = resource?.url;
  if (url === fullUrl && !(isRestfulUrl(url) && id !== undefined && url.endsWith(`/${id}`)) && !LEGACY_CANONICAL.test(url)) {
    ctx.issues.push(issue('error', 'invalid', `The canonical URL (${url.slice(0, 200)}) cannot match the fullUrl unless the resource id (${id ?? 'none'}) also matches`, at));
  }
}

/** Checks the Bundle the walk is at. */
export function checkBundle(node: Json, ctx: WalkContext): void {
  if (Array.isArray(node.link)) checkLinks(node.link, ctx);
  if (!Array.isArray(node.entry)) return;
  const fullUrlOptional = typeof node.type === 'string' && FULL_URL_OPTIONAL.has(node.type);
  for (let i = 0; i < node.entry.length; i++) {
    const entry: unknown = node.entry[i];
    if (isObject(entry)) checkEntry(entry, pathOf(ctx, `.entry[${i}]`), fullUrlOptional, ctx);
  }
}
