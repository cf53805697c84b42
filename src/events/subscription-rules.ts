/**
 * What a Subscription must be for this server to accept it, checked on every REST write of one (create, update,
 * patch, conditional writes, batch and transaction entries: write-validation.ts calls this) whatever
 * MEDGEN_VALIDATE_WRITES says, since an unchecked subscription is not merely invalid content: it would fail on
 * every change, or post to an address the server should not reach. A subscription that passes is one delivery
 * can serve: criteria the matcher evaluates (criteria.ts), a rest-hook channel to an allowed endpoint, a payload
 * it writes, a heartbeat it understands. Status follows R4: a client asks for `requested` (or `active`), which
 * the server, having accepted it, stores as `active`; a client may turn it `off`; `error` is the server's to set.
 * @see https://hl7.org/fhir/R4/subscription.html#2.46.7.2
 */
import type { Subscription } from 'fhir/r4.js';
import { badRequest, unprocessable } from '../fhir/outcomes.js';
import { compileCriteria } from './criteria.js';
import { endpointRefusal } from './endpoint-rules.js';
import { heartbeatValue, parseHeaderLine, payloadContentCode, PAYLOAD_CONTENTS, PAYLOAD_TYPES, RESERVED_HEADERS } from './subscription-channel.js';

const SUPPORTED_CHANNELS = ['rest-hook'];

/**
 * Checks a Subscription about to be written and settles its status (`requested` and `active` become `active`,
 * on the resource itself, which is what gets stored). Throws a 400 (malformed) or 422 (well formed but not
 * served here) OperationOutcomeError at the element at fault. `endpoints` are MEDGEN_SUBSCRIPTION_ENDPOINTS'
 * prefixes (empty: the default rule).
 */
export function acceptSubscription(resource: Subscription, endpoints: readonly string[]): void {
  checkStatus(resource);
  if (typeof resource.criteria !== 'string' || resource.criteria === '') throw badRequest('A Subscription needs criteria, e.g. Observation?patient=Patient/123', 'Subscription.criteria');
  compileCriteria(resource.criteria);
  const channel = resource.channel as Subscription['channel'] | undefined;
  if (typeof channel !== 'object' || channel === null) throw badRequest('A Subscription needs a channel', 'Subscription.channel');
  if (!SUPPORTED_CHANNELS.includes(channel.type)) {
    throw unprocessable(`Channel type "${String(channel.type).slice(0, 40)}" is not supported: this server delivers ${SUPPORTED_CHANNELS.join(', ')} only`, 'Subscription.channel.type');
  }
  if (typeof channel.endpoint !== 'string' || channel.endpoint === '') throw badRequest('A rest-hook channel needs an endpoint URL', 'Subscription.channel.endpoint');
  const refused = endpointRefusal(channel.endpoint, endpoints);
  if (refused) throw unprocessable(refused, 'Subscription.channel.endpoint');
  checkPayload(resource);
  checkHeaders(channel.header);
  const heartbeat = heartbeatValue(resource);
  if (heartbeat !== undefined && !(typeof heartbeat === 'number' && Number.isInteger(heartbeat) && heartbeat > 0)) {
    throw badRequest('The backport-heartbeat-period extension needs a valueUnsignedInt of at least 1 (seconds)', 'Subscription.channel.extension');
  }
  if (resource.status === 'requested') resource.status = 'active';
}

function checkStatus(resource: Subscription): void {
  const status = resource.status as string | undefined;
  if (status === 'requested' || status === 'active' || status === 'off') return;
  if (status === 'error') throw unprocessable('Status "error" is set by the server when delivery fails; send requested (or active) to have it delivered again, or off', 'Subscription.status');
  throw badRequest(`A Subscription's status must be requested, active or off, not ${JSON.stringify(status ?? null).slice(0, 40)}`, 'Subscription.status');
}

function checkPayload(resource: Subscription): void {
  const payload = resource.channel.payload;
  if (payload !== undefined) {
    const type = typeof payload === 'string' ? payload.split(';')[0].trim().toLowerCase() : '';
    if (!PAYLOAD_TYPES.includes(type)) throw unprocessable(`Notifications are sent as ${PAYLOAD_TYPES.join(', ')}, not ${JSON.stringify(payload).slice(0, 60)}`, 'Subscription.channel.payload');
  }
  const code = payloadContentCode(resource);
  if (code !== undefined && !PAYLOAD_CONTENTS.includes(code as string)) {
    throw badRequest(`The backport-payload-content extension must be one of ${PAYLOAD_CONTENTS.join(', ')}, not ${JSON.stringify(code).slice(0, 40)}`, 'Subscription.channel.payload.extension');
  }
}

function checkHeaders(headers: unknown): void {
  if (headers === undefined) return;
  if (!Array.isArray(headers)) throw badRequest('channel.header is a list of "Name: value" lines', 'Subscription.channel.header');
  headers.forEach((line: unknown, i) => {
    const where = `Subscription.channel.header[${i}]`;
    const parsed = typeof line === 'string' ? parseHeaderLine(line) : null;
    if (!parsed) throw badRequest('A channel header must be one "Name: value" line', where);
    if (RESERVED_HEADERS.includes(parsed.name.toLowerCase())) throw unprocessable(`The notification sets ${parsed.name} itself; a channel header cannot replace it`, where);
  });
}
