/**
 * Bearer-token authentication with MEDGEN_API_KEYS (SPEC). Tokens are compared in constant time over
 * their SHA-256 digests, so neither content nor length leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { unauthorized } from '../src/fhir/outcomes.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Middleware requiring `Authorization: Bearer <key>` (mounted only when keys are set); `isPublic` exempts requests. */
export function bearerAuth(keys: string[], isPublic: (req: Request) => boolean) {
  const digests = keys.map(digest);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (isPublic(req)) return next();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const presented = match ? digest(match[1]) : undefined;
    let ok = false;
    for (const d of digests) if (presented && timingSafeEqual(d, presented)) ok = true;
    if (ok) return next();
    res.setHeader('WWW-Authenticate', 'Bearer realm="medgen-data"');
    next(unauthorized(presented ? 'The bearer token is not valid' : 'Authorization: Bearer <key> is required'));
  };
}
