/**
 * The adapter from handler results (FhirResponse, OperationOutcomeError) to HTTP responses, always
 * `application/fhir+json`. It writes with `res.end` rather than Express's `res.send`, which would hash
 * every body for an ETag we already have; conditional reads (`If-None-Match`) answer 304 here instead.
 */
import { createGzip } from 'node:zlib';
import type { Request, Response } from 'express';
import type { OperationOutcomeError } from '../src/fhir/outcomes.js';
import type { FhirResponse } from '../src/fhir/rest/types.js';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

function notModified(req: Request, response: FhirResponse): boolean {
  const etag = response.headers?.ETag;
  const wanted = req.headers['if-none-match'];
  if (!etag || !wanted || response.status !== 200 || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  return wanted.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*');
}

/** Whether the client takes gzip (`Accept-Encoding: gzip`, not refused with q=0). */
function acceptsGzip(req: Request): boolean {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    return coding.trim().toLowerCase() === 'gzip' && !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p));
  });
}

export function sendFhir(req: Request, res: Response, response: FhirResponse): void {
  const headers = response.headers ?? {};
  for (const name in headers) res.setHeader(name, headers[name]);
  if (response.file) {
    res.statusCode = response.status;
    res.setHeader('Content-Type', response.file.contentType);
    res.setHeader('Vary', 'Accept-Encoding');
    const body = response.file.body.on('error', () => res.destroy());
    if (req.method === 'HEAD') {
      body.destroy();
      res.end();
    } else if (acceptsGzip(req)) {
      // Files (export and job outputs) are NDJSON that compresses several times over: worth it on the wire.
      res.setHeader('Content-Encoding', 'gzip');
      body.pipe(createGzip().on('error', () => res.destroy())).pipe(res);
    } else body.pipe(res);
    return;
  }
  if (notModified(req, response)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = response.status;
  if (response.body === undefined) {
    res.end();
    return;
  }
  const text = JSON.stringify(response.body);
  res.setHeader('Content-Type', 'resourceType' in response.body ? FHIR_JSON : 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(req.method === 'HEAD' ? undefined : text);
}

export function sendOutcome(res: Response, error: OperationOutcomeError): void {
  const text = JSON.stringify(error.outcome);
  res.statusCode = error.status;
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', FHIR_JSON);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
