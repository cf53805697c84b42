/**
 * The units of an `$import` request body: NDJSON streamed line by line (no size limit: memory stays bounded),
 * or one JSON document (a Bundle, a resource, or Parameters with `resource` and `mode`) held within the body
 * limit.
 */
import type { Readable } from 'node:stream';
import type { Parameters } from 'fhir/r4.js';
import { badRequest, unsupportedMediaType } from '../fhir/outcomes.js';
import { JSON_TYPES, NDJSON_TYPES, readLimited } from '../fhir/request-body.js';
import { parseJsonBody } from '../fhir/safe-json.js';
import { sha256Of } from '../lineage/file-hash.js';
import { IMPORT_MODES, type ImportMode } from './import-types.js';


export function parseMode(value: string | undefined | null, expression = 'mode'): ImportMode | undefined {
  if (value === undefined || value === null) return undefined;
  if (!IMPORT_MODES.includes(value as ImportMode)) throw badRequest(`mode must be one of ${IMPORT_MODES.join(', ')}, not "${value.slice(0, 40)}"`, expression);
  return value as ImportMode;
}

export function checkContentType(contentType: string | undefined): 'ndjson' | 'json' {
  if (contentType === undefined || JSON_TYPES.has(contentType)) return 'json';
  if (NDJSON_TYPES.has(contentType)) return 'ndjson';
  throw unsupportedMediaType(`Content-Type "${contentType.slice(0, 80)}" is not supported by $import: send application/fhir+json or application/fhir+ndjson`);
}

/** The document to import, and a mode given inside a Parameters body. */
export function unwrapParameters(document: unknown): { document: unknown; mode?: ImportMode } {
  const p = document as Parameters;
  if (p?.resourceType !== 'Parameters') return { document };
  const resource = p.parameter?.find((x) => x.name === 'resource')?.resource;
  if (!resource) throw badRequest('Parameters for $import need a "resource" parameter (a Bundle or a resource)', 'Parameters.parameter');
  const mode = p.parameter?.find((x) => x.name === 'mode');
  return { document: resource, mode: parseMode(mode?.valueCode ?? mode?.valueString, 'Parameters.parameter.mode') };
}

/** The parsed body, and the SHA-256 of its bytes (the input lineage records). */
export async function readJsonDocument(stream: Readable, limit: number): Promise<{ document: unknown; sha256: string }> {
  const raw = await readLimited(stream, limit, '; send large imports as NDJSON');
  if (raw.length === 0) throw badRequest('The request has no body: send a Bundle, a resource or NDJSON');
  return { document: parseJsonBody(raw), sha256: sha256Of(raw) };
}
