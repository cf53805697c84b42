/**
 * Where a subscription may send notifications (MEDGEN_SUBSCRIPTION_ENDPOINTS). A rest-hook is a request this
 * server makes on a client's behalf, so without a rule a subscription could make it probe or post to addresses
 * only the server reaches (a database's HTTP port, a cloud metadata service). The configured prefixes are
 * compared as parsed URLs, not as text: `https://hooks.example.org` must not admit
 * `https://hooks.example.org.evil.net/` nor `https://hooks.example.org@evil.net/`. Without prefixes any https
 * URL is allowed, and http only to this machine (loopback), where a receiver under test or a local relay lives.
 */
import { isLoopbackHost } from '../config.js';

/** Why `endpoint` is refused under `prefixes` (the configured list; empty for the default); null when allowed. */
export function endpointRefusal(endpoint: string, prefixes: readonly string[]): string | null {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `The endpoint "${endpoint.slice(0, 200)}" is not an absolute URL`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `The endpoint must be an http or https URL, not ${url.protocol.slice(0, 20)}`;
  if (url.username !== '' || url.password !== '') return 'The endpoint must not carry a user name or password; send credentials with channel.header';
  if (prefixes.length === 0) {
    if (url.protocol === 'https:' || isLoopbackHost(url.hostname)) return null;
    return 'MEDGEN_SUBSCRIPTION_ENDPOINTS is not set, so an endpoint must be an https URL or an http URL on this machine (localhost, 127.0.0.0/8, [::1])';
  }
  if (prefixes.some((prefix) => startsWithPrefix(url, prefix))) return null;
  return `The endpoint is not under any prefix MEDGEN_SUBSCRIPTION_ENDPOINTS allows (${prefixes.join(', ').slice(0, 300)})`;
}

function startsWithPrefix(url: URL, prefix: string): boolean {
  let allowed: URL;
  try {
    allowed = new URL(prefix);
  } catch {
    return false;
  }
  return url.origin === allowed.origin && url.href.startsWith(allowed.href);
}
