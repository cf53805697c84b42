/**
 * `GET Subscription/{id}/$status`: how delivery of a subscription stands, as the backport IG's R4 shape has it:
 * a searchset Bundle holding one SubscriptionStatus Parameters (status, type `query-status`,
 * events-since-subscription-start, and the error while delivery fails). The counts come from the state the
 * delivery worker keeps (src/events/subscription-state.ts).
 * @see https://hl7.org/fhir/uv/subscriptions-backport/STU1.1/OperationDefinition-backport-subscription-status.html
 */
import type { Bundle, OperationDefinition } from 'fhir/r4.js';
import { newId } from '../src/fhir/ids.js';
import { notAllowed } from '../src/fhir/outcomes.js';
import type { FhirOperation } from '../src/fhir/rest/operation.js';
import { subscriptionStatus } from '../src/events/notification.js';
import { payloadContentOf } from '../src/events/subscription-channel.js';
import { currentError, subscriptionTarget } from '../src/events/subscription-target.js';

const definition: OperationDefinition = {
  resourceType: 'OperationDefinition',
  id: 'status',
  url: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status',
  name: 'SubscriptionStatus',
  status: 'active',
  kind: 'operation',
  code: 'status',
  affectsState: false,
  system: false,
  type: false,
  instance: true,
  resource: ['Subscription'],
  description: "A subscription's delivery status: its status, the events it has had since it started, and why delivery fails when it does.",
  parameter: [{ name: 'return', use: 'out', min: 1, max: '1', type: 'Bundle', documentation: 'A searchset Bundle with one SubscriptionStatus Parameters' }],
};

export const subscriptionStatusOperation: FhirOperation = {
  code: 'status',
  definition,
  async handler(ctx, req, target) {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') throw notAllowed(`${req.method} is not allowed on $status`, ['GET', 'POST']);
    const found = await subscriptionTarget(ctx.store, target, 'status');
    const { subscription, state } = found;
    const fields = { subscriptionId: subscription.id, status: subscription.status, type: 'query-status' as const, eventsSinceStart: state?.eventsSinceStart ?? 0, error: currentError(found) };
    const status = subscriptionStatus(fields, [], payloadContentOf(subscription), ctx.baseUrl);
    const body: Bundle = {
      resourceType: 'Bundle',
      id: newId(),
      type: 'searchset',
      total: 1,
      entry: [{ fullUrl: `urn:uuid:${status.id}`, resource: status, search: { mode: 'match' } }],
    };
    return { status: 200, body };
  },
};
