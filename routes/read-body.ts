/**
 * Reading request bodies: the size limit is enforced while streaming (413 before the whole body is held),
 * the content type must be FHIR JSON (415 otherwise), and the JSON is parsed safely (400 on any fault).
 * Bodies a host app already parsed are used as they are.
 */
import type { Request } from 'express';
import { badRequest, tooLarge, unsupportedMediaType } from '../src/fhir/outcomes.js';
import { JSON_TYPES, readLimited } from '../src/fhir/request-body.js';
import { JSON_PATCH_TYPE } from '../src/fhir/rest/patch-interaction.js';
import { checkJsonShape, parseJsonBody } from '../src/fhir/safe-json.js';

/** The media type without parameters, lower case; undefined when the request has none. */
export function mediaType(req: Request): string | undefined {
  const header = req.headers['content-type'];
  return header ? header.split(';')[0].trim().toLowerCase() : undefined;
}

/** Collects the raw body, failing with 413 as soon as it passes `limit` bytes (or declares it will). */
export async function readRawBody(req: Request, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(`Request body of ${declared} bytes is over the limit of ${limit}`);
  return readLimited(req, limit);
}

/** Whether a host app's JSON or urlencoded parser already turned the body into an object. */
const parsedByHost = (req: Request) => req.body !== undefined && !Buffer.isBuffer(req.body) && typeof req.body !== 'string';

/** The body's bytes: those a host app's raw or text parser already read, else read here within `limit`. */
async function bodyBytes(req: Request, limit: number): Promise<Buffer> {
  return Buffer.isBuffer(req.body) || typeof req.body === 'string' ? Buffer.from(req.body) : readRawBody(req, limit);
}

/** The parsed JSON body, or undefined when the request has none. */
export async function readJsonBody(req: Request, limit: number): Promise<unknown> {
  if (parsedByHost(req)) {
    checkJsonShape(req.body);
    return req.body;
  }
  const raw = await bodyBytes(req, limit);
  if (raw.length === 0) return undefined;
  const type = mediaType(req);
  // A JSON Patch is JSON too; PATCH itself refuses any other body (patch-interaction.ts).
  if (type !== undefined && !JSON_TYPES.has(type) && !(req.method === 'PATCH' && type === JSON_PATCH_TYPE)) {
    throw unsupportedMediaType(`Content-Type "${type.slice(0, 80)}" is not supported; send application/fhir+json`);
  }
  return parseJsonBody(raw);
}

export const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The parameters of a form-encoded body, as `POST [type]/_search` carries them (R4 http.html#search); a body a
 * host app's urlencoded parser already turned into an object is taken as it is, if it holds only strings.
 */
export async function readFormBody(req: Request, limit: number): Promise<URLSearchParams> {
  if (parsedByHost(req)) {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(req.body as Record<string, unknown>)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v !== 'string') throw badRequest(`Search parameter '${name.slice(0, 80)}' in the body is not a plain value`);
        params.append(name, v);
      }
    }
    return params;
  }
  const raw = await bodyBytes(req, limit);
  return new URLSearchParams(raw.toString('utf8'));
}
