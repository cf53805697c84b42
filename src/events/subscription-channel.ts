/**
 * What an R4 Subscription's channel asks for, as the R4B/R5 backport IG extends it: how much of each resource a
 * notification carries (backport-payload-content on channel.payload) and how often a quiet subscription is told
 * it is still alive (backport-heartbeat-period on channel). Read by the write rules (which refuse what this cannot
 * read) and by delivery, so both understand a subscription the same way.
 * @see https://hl7.org/fhir/uv/subscriptions-backport/STU1.1/StructureDefinition-backport-subscription.html
 */
import type { Extension, Subscription } from 'fhir/r4.js';

const BACKPORT = 'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition';
export const PAYLOAD_CONTENT_URL = `${BACKPORT}/backport-payload-content`;
export const HEARTBEAT_PERIOD_URL = `${BACKPORT}/backport-heartbeat-period`;
export const STATUS_PROFILE = `${BACKPORT}/backport-subscription-status-r4`;
export const NOTIFICATION_PROFILE = `${BACKPORT}/backport-subscription-notification-r4`;

export type PayloadContent = 'empty' | 'id-only' | 'full-resource';
export const PAYLOAD_CONTENTS: readonly string[] = ['empty', 'id-only', 'full-resource'] satisfies PayloadContent[];

/** The media types a notification can be sent as: only JSON is written. */
export const PAYLOAD_TYPES: readonly string[] = ['application/fhir+json', 'application/json', 'application/json+fhir'];
export const DEFAULT_PAYLOAD_TYPE = 'application/fhir+json';

/** Headers the notification itself sets: a channel.header may not replace them. */
export const RESERVED_HEADERS: readonly string[] = ['content-type', 'content-length', 'host', 'connection', 'transfer-encoding', 'x-medgen-signature'];

type Channel = Subscription['channel'] & { _payload?: { extension?: Extension[] } };

const extensionOf = (extensions: Extension[] | undefined, url: string) => extensions?.find((e) => e.url === url);

/**
 * The payload content: the extension's code; without it, `empty` when the channel has no payload type (R4: no
 * payload, only a ping) and `id-only` when it has one (the backport IG's advice when a server must choose).
 */
export function payloadContentOf(subscription: Subscription): PayloadContent {
  const channel = subscription.channel as Channel;
  const code = extensionOf(channel._payload?.extension, PAYLOAD_CONTENT_URL)?.valueCode;
  if (code !== undefined && PAYLOAD_CONTENTS.includes(code)) return code as PayloadContent;
  return channel.payload === undefined ? 'empty' : 'id-only';
}

/** The raw payload-content code when the extension is present (for the rules to judge), else undefined. */
export function payloadContentCode(subscription: Subscription): unknown {
  const ext = extensionOf((subscription.channel as Channel)._payload?.extension, PAYLOAD_CONTENT_URL);
  return ext === undefined ? undefined : (ext.valueCode ?? null);
}

/** The Content-Type of the notifications (the channel's payload type, without parameters). */
export const payloadTypeOf = (subscription: Subscription): string =>
  (subscription.channel.payload ?? DEFAULT_PAYLOAD_TYPE).split(';')[0].trim().toLowerCase() || DEFAULT_PAYLOAD_TYPE;

/** The heartbeat period in ms, or undefined when the channel asks for none. */
export function heartbeatMsOf(subscription: Subscription): number | undefined {
  const seconds = extensionOf(subscription.channel.extension, HEARTBEAT_PERIOD_URL)?.valueUnsignedInt;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/** The raw heartbeat extension's value when present (for the rules to judge), else undefined. */
export function heartbeatValue(subscription: Subscription): unknown {
  const ext = extensionOf(subscription.channel.extension, HEARTBEAT_PERIOD_URL);
  return ext === undefined ? undefined : (ext.valueUnsignedInt ?? ext.valueInteger ?? null);
}

/** `Name: value` lines as a header record; a line that is not one is left out (the rules refuse it at write). */
export function channelHeaders(subscription: Subscription): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of subscription.channel.header ?? []) {
    const parsed = parseHeaderLine(line);
    if (parsed && !RESERVED_HEADERS.includes(parsed.name.toLowerCase())) headers[parsed.name] = parsed.value;
  }
  return headers;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A channel.header line split into name and value; null when it is not a valid HTTP header line. */
export function parseHeaderLine(line: string): { name: string; value: string } | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const name = line.slice(0, colon).trim();
  const value = line.slice(colon + 1).trim();
  if (!TOKEN.test(name) || /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return null;
  return { name, value };
}
