/**
 * `GET|POST Subscription/{id}/$events?eventsSinceNumber=&eventsUntilNumber=&content=`: the subscription's events
 * in that range of outbox numbers, replayed from the outbox (src/events/replay-events.ts) as a notification
 * Bundle of type `query-event`, at most 1,000: a receiver that missed notifications (or wants the resources an
 * id-only notification left out) asks again from the last number it has. The numbers are the global outbox
 * numbers notifications carry; by default from the subscription's start to the last change, with its own
 * payload content. Parameters come in the URL or, for POST, as a Parameters body.
 * @see https://hl7.org/fhir/uv/subscriptions-backport/STU1.1/OperationDefinition-backport-subscription-events.html
 */
import type { OperationDefinition, Parameters } from 'fhir/r4.js';
import { badRequest, notAllowed } from '../src/fhir/outcomes.js';
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import type { FhirRequest } from '../src/fhir/rest/types.js';
import { compileCriteria } from '../src/events/criteria.js';
import { notificationBundle } from '../src/events/notification.js';
import { replayEvents } from '../src/events/replay-events.js';
import { PAYLOAD_CONTENTS, payloadContentOf, type PayloadContent } from '../src/events/subscription-channel.js';
import { currentError, subscriptionTarget } from '../src/events/subscription-target.js';

/** Events answered at most per call; a client asks again from the last number it got. */
const MAX_EVENTS = 1000;
const NAMES = ['eventsSinceNumber', 'eventsUntilNumber', 'content'];
const FORMAT_PARAMETERS = new Set(['_format', '_pretty']);

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'events',
  url: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-events',
  name: 'SubscriptionEvents',
  status: 'active',
  kind: 'operation',
  code: 'events',
  affectsState: false,
  system: false,
  type: false,
  instance: true,
  resource: ['Subscription'],
  description: `A subscription's events between two outbox numbers (inclusive), replayed from the outbox as a notification Bundle, at most ${MAX_EVENTS}.`,
  parameter: [
    { name: 'eventsSinceNumber', use: 'in', min: 0, max: '1', type: 'string', documentation: "First event number (default: the subscription's start)" },
    { name: 'eventsUntilNumber', use: 'in', min: 0, max: '1', type: 'string', documentation: 'Last event number (default: the last change)' },
    { name: 'content', use: 'in', min: 0, max: '1', type: 'code', documentation: "empty | id-only | full-resource (default: the subscription's payload content)" },
    { name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle', documentation: 'A notification Bundle of type query-event' },
  ],
};

/** The operation's parameters by name, from the URL and a POSTed Parameters body; 400 for any other name. */
function parametersOf(req: FhirRequest): Map<string, string> {
  const found = new Map<string, string>();
  for (const [name, value] of req.query) if (!FORMAT_PARAMETERS.has(name)) found.set(name, value);
  if (req.method === 'POST' && req.body !== undefined) {
    const body = req.body as Parameters;
    if (body?.resourceType !== 'Parameters') throw badRequest('$events takes a Parameters body (or its parameters in the URL)');
    for (const p of body.parameter ?? []) {
      const value = p.valueString ?? p.valueCode ?? p.valueInteger ?? p.valueUnsignedInt ?? p.valuePositiveInt;
      found.set(String(p.name), String(value ?? ''));
    }
  }
  for (const name of found.keys()) {
    if (!NAMES.includes(name)) throw badRequest(`Unknown parameter "${name.slice(0, 80)}" for $events: use ${NAMES.join(', ')}`, name.slice(0, 80));
  }
  return found;
}

function eventNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) throw badRequest(`${name} must be an event number (a whole number from 0), got "${raw.slice(0, 40)}"`, name);
  return n;
}

export const subscriptionEventsOperation: FhirOperation = {
  code: 'events',
  definition,
  async handler(ctx, req, target) {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') throw notAllowed(`${req.method} is not allowed on $events`, ['GET', 'POST']);
    const found = await subscriptionTarget(ctx.store, target, 'events');
    const { subscription, state } = found;
    const params = parametersOf(req);
    const since = eventNumber('eventsSinceNumber', params.get('eventsSinceNumber'), (state?.start ?? 0) + 1);
    const until = eventNumber('eventsUntilNumber', params.get('eventsUntilNumber'), await ctx.store.lastChange());
    if (until < since) throw badRequest(`eventsUntilNumber (${until}) is before eventsSinceNumber (${since})`, 'eventsUntilNumber');
    const contentParam = params.get('content');
    if (contentParam !== undefined && !PAYLOAD_CONTENTS.includes(contentParam)) throw badRequest(`content must be one of ${PAYLOAD_CONTENTS.join(', ')}`, 'content');
    const content = (contentParam as PayloadContent | undefined) ?? payloadContentOf(subscription);
    const events = await replayEvents(ctx.store, compileCriteria(subscription.criteria), since, until, MAX_EVENTS);
    const fields = { subscriptionId: subscription.id, status: subscription.status, type: 'query-event' as const, eventsSinceStart: state?.eventsSinceStart ?? 0, error: currentError(found) };
    return { status: 200, body: notificationBundle(fields, events, content, ctx.baseUrl) };
  },
};
