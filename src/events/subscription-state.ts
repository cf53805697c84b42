/**
 * What delivery remembers per subscription, as a system document (`subscription:{id}`) beside the data, so any
 * process that takes over delivery goes on where the last one stopped: the outbox number delivered up to (the
 * cursor), the counts `$status` reports, and the failure streak that paces retries. The Subscription resource
 * itself holds only what a client sets and the status R4 shows; counting in it would write a new version of it
 * on every delivery.
 */
import type { ResourceStore } from '../store/resource-store.js';

export interface SubscriptionState {
  /** The outbox number of the Subscription version it started at: it hears the changes after it. */
  start: number;
  /** Outbox number up to which every change has been delivered, dropped or found not to match. */
  cursor: number;
  /** The last change of the Subscription resource itself this state has taken in (subscription-worker.ts). */
  seen: number;
  /** The subscription was last seen `off`: nothing is delivered, and turning it on again starts it anew. */
  off: boolean;
  /** When this state started (ISO): a heartbeat's clock before anything was sent. */
  started: string;
  /** Events that matched since the start: delivered, pending in a failing page, or dropped. */
  eventsSinceStart: number;
  delivered: number;
  /** Events skipped after failing past the horizon (MEDGEN_SUBSCRIPTION_HORIZON). */
  dropped: number;
  /** Failed attempts in the current streak (0 when the last attempt succeeded). */
  failures: number;
  /** Since when attempts have failed without a success between (ISO). */
  failingSince?: string;
  /** No attempt before this (ISO): the backoff. */
  nextAttempt?: string;
  lastError?: string;
  /** When a notification (events or heartbeat) was last accepted (ISO). */
  lastDelivered?: string;
}

export const stateKey = (subscriptionId: string) => `subscription:${subscriptionId}`;

export const readState = (store: ResourceStore, subscriptionId: string) => store.getSystem<SubscriptionState>(stateKey(subscriptionId));

/** A new subscription's state: it hears every change committed after outbox number `from`. */
export function freshState(from: number, off: boolean, now: Date): SubscriptionState {
  return { start: from, cursor: from, seen: from, off, started: now.toISOString(), eventsSinceStart: 0, delivered: 0, dropped: 0, failures: 0 };
}
