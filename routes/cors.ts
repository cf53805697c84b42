/**
 * Cross-origin access for browser apps (SMART apps, the OHIF viewer) served from another origin than the
 * server: MEDGEN_CORS_ORIGINS lists the origins allowed, or `*`. Without it the server sends no CORS header, and
 * a browser keeps other origins' scripts from reading its answers. A preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) is answered here, before authentication: browsers send it without the
 * Authorization header the real request will carry.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
import type { NextFunction, Request, Response } from 'express';

/** What a client must read from our answers: where a created resource lives, its version, a job's progress. */
const EXPOSED = 'Content-Location, Location, ETag, Last-Modified, X-Progress, Warning, X-Request-Id';
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS';
/** Preflights are cached by the browser this long (seconds), so each request is not preceded by another. */
const MAX_AGE = '600';
/** The request headers a FHIR or DICOMweb client sends beyond the CORS-safelisted ones. */
const ALLOWED_HEADERS = new Set([
  'authorization', 'content-type', 'accept', 'prefer', 'if-match', 'if-none-match', 'if-none-exist', 'if-modified-since',
  'x-request-id', 'cache-control', 'pragma',
]);

/** The CORS middleware for `origins` (Config.corsOrigins); mount it before authentication. */
export function cors(origins: string[]) {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    // The answer depends on the Origin whenever a list is configured, so shared caches must key on it.
    if (!any) res.vary('Origin');
    if (typeof origin !== 'string' || !(any || allowed.has(origin))) return next();
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!preflight) {
      res.setHeader('Access-Control-Expose-Headers', EXPOSED);
      return next();
    }
    const asked = String(req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => ALLOWED_HEADERS.has(h));
    res.setHeader('Access-Control-Allow-Methods', METHODS);
    if (asked.length > 0) res.setHeader('Access-Control-Allow-Headers', asked.join(', '));
    res.setHeader('Access-Control-Max-Age', MAX_AGE);
    res.status(204).end();
  };
}
