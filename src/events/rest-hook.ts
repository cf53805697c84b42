/**
 * One rest-hook POST: the notification body with its Content-Type, the channel's headers and the signature,
 * judged as R4 has it: a 2xx is delivered, anything else (another status, a redirect, no answer within the
 * timeout, a refused connection) is a failure to retry. Redirects are not followed: a receiver cannot send the
 * server on to an address MEDGEN_SUBSCRIPTION_ENDPOINTS would refuse.
 * @see https://hl7.org/fhir/R4/subscription.html#2.46.7.1
 */
import { SIGNATURE_HEADER, signBody } from './signature.js';

export interface HookRequest {
  endpoint: string;
  body: string;
  contentType: string;
  headers: Record<string, string>;
  secret: string;
  timeoutMs: number;
}

/** Null when the receiver accepted the notification, else why not (for Subscription.error and $status). */
export async function postNotification(request: HookRequest): Promise<string | null> {
  const t = Math.floor(Date.now() / 1000);
  try {
    const response = await fetch(request.endpoint, {
      method: 'POST',
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
      headers: { ...request.headers, 'Content-Type': request.contentType, [SIGNATURE_HEADER]: signBody(request.secret, request.body, t) },
    });
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return null;
    return `The endpoint answered HTTP ${response.status}`;
  } catch (err) {
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `The endpoint did not answer within ${request.timeoutMs} ms`;
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : err instanceof Error ? err.message : String(err);
    return `The endpoint could not be reached: ${cause.slice(0, 200)}`;
  }
}
