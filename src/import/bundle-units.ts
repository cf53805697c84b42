/**
 * Turning a parsed JSON document into import units: a transaction Bundle is one all-or-nothing unit; batch,
 * collection and other Bundles become units of independent entries (in chunks, so writes stay bounded);
 * any other resource is a unit of one.
 * @see https://hl7.org/fhir/R4/bundle.html
 */
import type { BundleEntry } from 'fhir/r4.js';
import { badRequest } from '../fhir/outcomes.js';
import type { ImportEntry, ImportUnit } from './import-types.js';

/** Entries written per store call for independent entries. */
export const CHUNK = 1000;

function entryOf(raw: unknown, index: number, file: string | undefined): ImportEntry {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { resource: undefined, index, file, unreadable: 'A Bundle entry must be an object' };
  const entry = raw as BundleEntry;
  return {
    resource: entry.resource,
    fullUrl: typeof entry.fullUrl === 'string' ? entry.fullUrl : undefined,
    method: typeof entry.request?.method === 'string' ? entry.request.method.toUpperCase() : undefined,
    ifNoneExist: typeof entry.request?.ifNoneExist === 'string' ? entry.request.ifNoneExist : undefined,
    index,
    file,
  };
}

/** The units of one JSON document; 400 for JSON that is no FHIR resource, or a Bundle with no entries. */
export function* unitsOfDocument(value: unknown, file?: string): Generator<ImportUnit> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest('Expected a FHIR resource or Bundle (a JSON object)');
  const { resourceType, type, entry } = value as { resourceType?: unknown; type?: unknown; entry?: unknown };
  if (typeof resourceType !== 'string') throw badRequest('The document has no resourceType', 'resourceType');
  if (resourceType !== 'Bundle') {
    yield { entries: [{ resource: value, file }], atomic: false, file };
    return;
  }
  if (entry !== undefined && !Array.isArray(entry)) throw badRequest('Bundle.entry must be an array', 'Bundle.entry');
  if (!entry || entry.length === 0) throw badRequest('The Bundle has no entries', 'Bundle.entry');
  const entries = entry.map((raw, index) => entryOf(raw, index, file));
  if (type === 'transaction') {
    yield { entries, atomic: true, file };
    return;
  }
  for (let i = 0; i < entries.length; i += CHUNK) yield { entries: entries.slice(i, i + CHUNK), atomic: false, file };
}
