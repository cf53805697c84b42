/**
 * What `Subscription/{id}/$status` and `$events` share: the Subscription they address (404 otherwise) and the
 * delivery state its worker keeps, which a subscription not yet taken in by delivery does not have.
 */
import type { Subscription } from 'fhir/r4.js';
import { notFound } from '../fhir/outcomes.js';
import type { OperationTarget } from '../fhir/rest/operation.js';
import type { ResourceStore } from '../store/resource-store.js';
import { readState, type SubscriptionState } from './subscription-state.js';

export interface SubscriptionTarget {
  subscription: Subscription & { id: string };
  state: SubscriptionState | null;
}

export async function subscriptionTarget(store: ResourceStore, target: OperationTarget, operation: string): Promise<SubscriptionTarget> {
  if (target.resourceType !== 'Subscription' || target.id === undefined) {
    throw notFound(`$${operation} applies to one Subscription: Subscription/{id}/$${operation}`);
  }
  const subscription = (await store.read('Subscription', target.id)) as Subscription & { id: string };
  return { subscription, state: await readState(store, target.id) };
}

/** The error $status and notifications report: the last failure while a streak lasts, else the resource's. */
export const currentError = ({ subscription, state }: SubscriptionTarget): string | undefined =>
  state?.failures ? state.lastError : subscription.status === 'error' ? subscription.error : undefined;
