/**
 * The notification Bundle in the backport IG's R4 shape: a `history` Bundle whose first entry is the
 * SubscriptionStatus Parameters (which subscription, its status, the notification type, how many events it has
 * had, and per event its number, time and focus), then one entry per event as the payload content asks: none
 * for `empty`, the request and response of the version for `id-only`, and the resource too for `full-resource`.
 * An event's number is its GLOBAL outbox number (ResourceStore.changes), so a notification delivered twice after a
 * crash carries the same numbers, and `$events` replays by them. The same builder answers `$status` and
 * `$events`, so what a receiver gets pushed and what it asks for look alike.
 * @see https://hl7.org/fhir/uv/subscriptions-backport/STU1.1/notifications.html
 */
import type { Bundle, BundleEntry, Parameters, ParametersParameter, Resource } from 'fhir/r4.js';
import { newId } from '../fhir/ids.js';
import type { ChangeEvent } from '../store/resource-store.js';
import { NOTIFICATION_PROFILE, STATUS_PROFILE, type PayloadContent } from './subscription-channel.js';

export type NotificationType = 'handshake' | 'heartbeat' | 'event-notification' | 'query-status' | 'query-event';

export interface StatusFields {
  subscriptionId: string;
  /** The Subscription's status (active, error, off, …). */
  status: string;
  type: NotificationType;
  /** Events the subscription has had since it started (delivered, pending or dropped), as text (R4 has no integer64). */
  eventsSinceStart: number;
  /** Why delivery fails, when it does. */
  error?: string;
}

/** `Type/id` under `baseUrl` when one is known (a request's), else relative. */
const url = (baseUrl: string | undefined, path: string) => (baseUrl ? `${baseUrl}/${path}` : path);

/** The SubscriptionStatus Parameters; `events` become notification-event parts (focus only when content is not empty). */
export function subscriptionStatus(fields: StatusFields, events: readonly ChangeEvent[], content: PayloadContent, baseUrl?: string): Parameters {
  const parameter: ParametersParameter[] = [
    { name: 'subscription', valueReference: { reference: url(baseUrl, `Subscription/${fields.subscriptionId}`) } },
    { name: 'status', valueCode: fields.status },
    { name: 'type', valueCode: fields.type },
    { name: 'events-since-subscription-start', valueString: String(fields.eventsSinceStart) },
  ];
  for (const event of events) {
    const part: ParametersParameter[] = [
      { name: 'event-number', valueString: String(event.seq) },
      { name: 'timestamp', valueInstant: event.lastUpdated },
    ];
    if (content !== 'empty') part.push({ name: 'focus', valueReference: { reference: url(baseUrl, `${event.resourceType}/${event.id}/_history/${event.versionId}`) } });
    parameter.push({ name: 'notification-event', part });
  }
  if (fields.error) parameter.push({ name: 'error', valueCodeableConcept: { text: fields.error } });
  return { resourceType: 'Parameters', id: newId(), meta: { profile: [STATUS_PROFILE] }, parameter };
}

/** The entry of one event: what happened to which version, with the resource for full-resource. */
function eventEntry(event: ChangeEvent, content: PayloadContent, baseUrl: string | undefined): BundleEntry {
  const first = event.versionId === '1';
  const resource = content === 'full-resource' && event.json !== null ? (JSON.parse(event.json) as Resource) : undefined;
  return {
    ...(baseUrl ? { fullUrl: url(baseUrl, `${event.resourceType}/${event.id}`) } : {}),
    ...(resource ? { resource } : {}),
    request: {
      method: event.deleted ? 'DELETE' : first ? 'POST' : 'PUT',
      url: first && !event.deleted ? event.resourceType : `${event.resourceType}/${event.id}`,
    },
    response: {
      status: event.deleted ? '204' : first ? '201' : '200',
      location: `${event.resourceType}/${event.id}/_history/${event.versionId}`,
      lastModified: event.lastUpdated,
      etag: `W/"${event.versionId}"`,
    },
  };
}

/**
 * The notification (a `history` Bundle) for `events`; `content` decides the entries after the status. For
 * `query-status` and `query-event` answers the request's base URL makes references absolute.
 */
export function notificationBundle(fields: StatusFields, events: readonly ChangeEvent[], content: PayloadContent, baseUrl?: string): Bundle {
  const status = subscriptionStatus(fields, events, content, baseUrl);
  const entry: BundleEntry[] = [
    {
      fullUrl: `urn:uuid:${status.id}`,
      resource: status,
      request: { method: 'GET', url: `Subscription/${fields.subscriptionId}/$status` },
      response: { status: '200' },
    },
  ];
  if (content !== 'empty') for (const event of events) entry.push(eventEntry(event, content, baseUrl));
  return { resourceType: 'Bundle', id: newId(), meta: { profile: [NOTIFICATION_PROFILE] }, type: 'history', timestamp: new Date().toISOString(), entry };
}
