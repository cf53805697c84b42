/**
 * The key notifications are signed with: MEDGEN_SUBSCRIPTION_SECRET when set (the receiver is given the same
 * value), else a random key made once and kept as a system document, so every process and restart signs alike
 * and an operator can still read it out of the store for a receiver.
 */
import { randomBytes } from 'node:crypto';
import type { ResourceStore } from '../store/resource-store.js';

export const SIGNING_KEY = 'subscription-signing-key';

export async function signingSecret(store: ResourceStore, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const kept = await store.getSystem<{ key: string }>(SIGNING_KEY);
  if (kept?.key) return kept.key;
  const key = randomBytes(32).toString('hex');
  await store.putSystem(SIGNING_KEY, { key, created: new Date().toISOString() });
  return key;
}
