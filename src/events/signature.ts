/**
 * The `X-Medgen-Signature` header of a notification: `t={unix seconds},v1={hex HMAC-SHA256 of "{t}.{body}"}`,
 * the scheme Stripe and others use. The receiver recomputes the HMAC over the exact bytes it got with the shared
 * secret (MEDGEN_SUBSCRIPTION_SECRET): a match proves the body came from a holder of the secret, unaltered, and
 * the signed time lets it refuse an old notification replayed later. Pure functions; the key is the caller's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Medgen-Signature';

const hmac = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');

/** The header value for `body` signed at `t` (unix seconds). */
export function signBody(secret: string, body: string, t: number): string {
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

/**
 * Whether `header` is a valid signature of `body` under `secret`, made within `toleranceSeconds` of `now`
 * (unix seconds). For receivers, and the tests that play one.
 */
export function verifySignature(secret: string, header: string, body: string, now: number, toleranceSeconds = 300): boolean {
  const parts = new Map(header.split(',').map((part) => [part.slice(0, part.indexOf('=')).trim(), part.slice(part.indexOf('=') + 1).trim()]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isSafeInteger(t) || Math.abs(now - t) > toleranceSeconds || !/^[0-9a-f]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(hmac(secret, t, body), 'hex'));
}
