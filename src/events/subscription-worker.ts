/**
 * Delivery of rest-hook subscriptions, one worker per process, reading the outbox (ResourceStore.changes) and
 * nothing else of the writes: a write never waits for a receiver, and what was committed is delivered even
 * when the process that wrote it died. Only the holder of the store lease `subscription-delivery` delivers, so
 * replicas sharing a store do not send everything twice; another takes over when the holder stops renewing.
 *
 * Each round:
 * 1. Takes in the changes of Subscription resources since the last round (the scan): a subscription seen for
 *    the first time (or turned on again after `off`) starts at its own version's outbox number, so it hears
 *    exactly the changes committed after it was stored, however late this worker sees it; a deletion ends it.
 *    The worker's own status writes (`error`, `active`) change nothing of that.
 * 2. For each active (or failing) subscription whose backoff has passed: the next page of changes of its
 *    criteria's type after its cursor, matched in memory, all matches in ONE notification (so an import batch
 *    notifies once), the cursor moved past the page on a 2xx. A failure keeps the cursor and retries after 1 s,
 *    2 s, 4 s … up to 60 s, with the Subscription set to `error` (once per streak) and back to `active` on the
 *    next success; past the horizon of continuous failure the pending page is dropped and counted.
 * 3. A subscription with a heartbeat period that sent nothing for that long is sent a heartbeat.
 * Delivery is at least once: the cursor moves only after the receiver accepted, so after a crash the same page
 * is sent again, with the same (outbox) event numbers, and a receiver can tell the duplicate.
 * @see https://hl7.org/fhir/R4/subscription.html
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Subscription } from 'fhir/r4.js';
import { DEFAULT_JOB_LEASE_MS, DEFAULT_SUBSCRIPTION_HORIZON_MS } from '../config.js';
import { toOperationOutcomeError } from '../fhir/outcomes.js';
import type { Logger } from '../logger.js';
import { parseSearchQuery } from '../search/parse-query.js';
import type { ChangeEvent, ChangePage, ResourceStore } from '../store/resource-store.js';
import { changeMatches } from './change-match.js';
import { compileCriteria, type CompiledCriteria } from './criteria.js';
import { endpointRefusal } from './endpoint-rules.js';
import { notificationBundle, type NotificationType } from './notification.js';
import { postNotification } from './rest-hook.js';
import { channelHeaders, heartbeatMsOf, payloadContentOf, payloadTypeOf } from './subscription-channel.js';
import { freshState, readState, stateKey, type SubscriptionState } from './subscription-state.js';
import { signingSecret } from './signing-key.js';

export const DELIVERY_LEASE = 'subscription-delivery';
/** Where the scan of Subscription changes has got to (a system document). */
const SCAN_KEY = 'subscription-scan';
/** Changes read per page, and so at most this many events per notification. */
export const PAGE_SIZE = 1000;

export interface SubscriptionWorkerOptions {
  store: ResourceStore;
  logger: Logger;
  /** MEDGEN_SUBSCRIPTION_ENDPOINTS, checked again before each POST (a Subscription may have come in by import). */
  endpoints?: readonly string[];
  /** MEDGEN_SUBSCRIPTION_HORIZON: continuous failure after which pending events are dropped (default 24 h). */
  horizonMs?: number;
  /** MEDGEN_SUBSCRIPTION_SECRET; unset: the key kept in the store (signing-key.ts). */
  secret?: string;
  /** Pause between rounds that found nothing more to do (default 200 ms). */
  pollMs?: number;
  /** The first retry's delay, doubled per failure up to retryCapMs (defaults 1 s and 60 s). */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** How long a receiver has to answer (default 10 s). */
  timeoutMs?: number;
  /** The delivery lease's duration, renewed every third of it (MEDGEN_JOB_LEASE_MS, default 30 s): how long a dead holder blocks delivery. */
  leaseMs?: number;
}

/** A subscription to serve: the resource as last read, its compiled criteria or why they do not compile. */
interface Served {
  resource: Subscription & { id: string };
  criteria: CompiledCriteria | string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class SubscriptionWorker {
  /** Unique per process and start, so a restarted process does not mistake its predecessor's lease for its own. */
  readonly owner = `${os.hostname()}:${process.pid}:${randomUUID()}`;
  private readonly o: Required<Omit<SubscriptionWorkerOptions, 'secret'>> & { secret?: string };
  private holding = false;
  private lastLeaseCall = 0;
  private scanCursor: number | undefined;
  private served: Served[] | undefined;
  private secret: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private closed = false;
  private lastFailure = '';
  private rounds = 0;
  /** Active subscriptions without a state, by the round they were first found so. */
  private stateless = new Map<string, number>();

  constructor(options: SubscriptionWorkerOptions) {
    // Options left undefined (a host app's config without the setting) keep the default.
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.o = {
      endpoints: [],
      horizonMs: DEFAULT_SUBSCRIPTION_HORIZON_MS,
      pollMs: 200,
      retryBaseMs: 1000,
      retryCapMs: 60_000,
      timeoutMs: 10_000,
      leaseMs: DEFAULT_JOB_LEASE_MS,
      ...(given as Partial<SubscriptionWorkerOptions>),
      store: options.store,
      logger: options.logger,
    };
  }

  start(): void {
    this.schedule(0);
  }

  /** Stops after the round under way and gives the lease back. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
    if (this.holding) await this.o.store.releaseLock(DELIVERY_LEASE, this.owner).catch(() => undefined);
    this.holding = false;
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    // Unreferenced: a host that forgets to close the worker is not kept alive by it.
    this.timer = setTimeout(() => void this.loop(), ms);
    this.timer.unref();
  }

  private async loop(): Promise<void> {
    let again = false;
    this.running = this.round().then(
      (more) => {
        again = more;
        this.lastFailure = '';
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        // Said once per distinct failure: a store that is down fails every round alike.
        if (message !== this.lastFailure) this.o.logger.warn({ err: message }, 'subscription delivery round failed');
        this.lastFailure = message;
      },
    );
    await this.running;
    this.running = undefined;
    this.schedule(again ? 0 : this.o.pollMs);
  }

  /** One round (see the file's comment); true when a page was full, so another round should follow at once. */
  private async round(): Promise<boolean> {
    if (!(await this.holdLease())) return false;
    this.rounds++;
    if (await this.scan()) this.served = undefined;
    this.served ??= await this.activeSubscriptions();
    const more = await Promise.all(this.served.map((s) => this.serve(s)));
    return more.some(Boolean);
  }

  private async holdLease(): Promise<boolean> {
    const now = Date.now();
    if (now - this.lastLeaseCall < this.o.leaseMs / 3) return this.holding;
    this.lastLeaseCall = now;
    const held = await this.o.store.acquireLock(DELIVERY_LEASE, this.owner, this.o.leaseMs);
    if (held && !this.holding) {
      // Taken over (or first taken): what another holder did meanwhile is in the store, not in this memory.
      this.scanCursor = undefined;
      this.served = undefined;
      this.stateless.clear();
    }
    this.holding = held;
    return held;
  }

  /** Takes in the Subscription changes since the last scan; true when there were any. */
  private async scan(): Promise<boolean> {
    const { store } = this.o;
    this.scanCursor ??= await this.scanStart();
    let changed = false;
    for (;;) {
      const page = await store.changes(this.scanCursor, { limit: PAGE_SIZE, types: ['Subscription'] });
      for (const event of page.changes) await this.takeIn(event);
      this.scanCursor = page.through;
      if (page.changes.length > 0) {
        changed = true;
        await store.putSystem(SCAN_KEY, { cursor: page.through });
      }
      if (!page.more) return changed;
    }
  }

  /**
   * Where a scan with nothing kept starts: at the last change when no Subscription exists (read in that order,
   * so one stored meanwhile is after it), else at the beginning, to find each one's own change.
   */
  private async scanStart(): Promise<number> {
    const { store } = this.o;
    const kept = await store.getSystem<{ cursor: number }>(SCAN_KEY);
    if (kept) return kept.cursor;
    const last = await store.lastChange();
    const any = await store.search({ resourceType: 'Subscription', criteria: [], sort: [], count: 1, offset: 0, summaryCount: false });
    return any.resources.length > 0 ? 0 : last;
  }

  /** A change of a Subscription resource: starts, restarts, pauses or ends its state. */
  private async takeIn(event: ChangeEvent): Promise<void> {
    const { store } = this.o;
    const key = stateKey(event.id);
    if (event.json === null) {
      await store.putSystem(key, null);
      return;
    }
    const off = (JSON.parse(event.json) as Subscription).status === 'off';
    const state = await readState(store, event.id);
    if (state && event.seq <= state.seen) return;
    if (!state || (state.off && !off)) await store.putSystem(key, freshState(event.seq, off, new Date()));
    else if (state.off !== off) await store.putSystem(key, { ...state, off, seen: event.seq } satisfies SubscriptionState);
  }

  private async activeSubscriptions(): Promise<Served[]> {
    const served: Served[] = [];
    const params = new URLSearchParams({ status: 'active,error', _count: String(PAGE_SIZE) });
    const query = parseSearchQuery('Subscription', params, { strict: true }).query;
    for (let offset = 0; ; offset += PAGE_SIZE) {
      const { resources } = await this.o.store.search({ ...query, offset });
      for (const resource of resources as (Subscription & { id: string })[]) {
        let criteria: CompiledCriteria | string;
        try {
          criteria = compileCriteria(resource.criteria);
        } catch (err) {
          criteria = toOperationOutcomeError(err).message;
        }
        served.push({ resource, criteria });
      }
      if (resources.length < PAGE_SIZE) return served;
    }
  }

  /** Serves one subscription; true when its page was full (more is waiting). */
  private async serve(s: Served): Promise<boolean> {
    const { store } = this.o;
    const id = s.resource.id;
    const state = (await readState(store, id)) ?? (await this.adoptStateless(id));
    if (!state || state.off) return false;
    this.stateless.delete(id);
    const now = Date.now();
    if (state.nextAttempt !== undefined && Date.parse(state.nextAttempt) > now) return false;
    // Refusals no retry cures still go the failure path, so the Subscription's status and $status show them.
    if (typeof s.criteria === 'string') return this.failed(s, state, s.criteria);
    const refusal = endpointRefusal(s.resource.channel.endpoint ?? '', this.o.endpoints);
    if (refusal) return this.failed(s, state, refusal);
    const page = await store.changes(state.cursor, { limit: PAGE_SIZE, types: [s.criteria.resourceType], containing: s.criteria.requiredTexts });
    const matches = page.changes.filter((e) => changeMatches(s.criteria as CompiledCriteria, e));
    const full = page.more;
    if (matches.length === 0) {
      const heartbeatMs = heartbeatMsOf(s.resource);
      const quietSince = Date.parse(state.lastDelivered ?? state.started);
      if (heartbeatMs !== undefined && now - quietSince >= heartbeatMs) {
        const error = await this.send(s, state, 'heartbeat', []);
        if (error) return this.failed(s, state, error);
        await this.succeeded(s, { ...state, cursor: page.through }, 0);
      } else if (page.through !== state.cursor) {
        await store.putSystem(stateKey(id), { ...state, cursor: page.through } satisfies SubscriptionState);
      }
      return full;
    }
    const error = await this.send(s, state, 'event-notification', matches);
    if (error) return this.failed(s, state, error, page, matches.length);
    await this.succeeded(s, { ...state, cursor: page.through }, matches.length);
    return full;
  }

  /**
   * A state for an active subscription the scan has not started: none yet when it was stored after this round's
   * scan read (the next scan takes it in, from its own change), but a version stored before the store numbered
   * its changes is in no scan. So one still without a state a round later (a whole scan after) starts now.
   */
  private async adoptStateless(id: string): Promise<SubscriptionState | null> {
    const first = this.stateless.get(id);
    if (first === undefined) this.stateless.set(id, this.rounds);
    if (first === undefined || first >= this.rounds) return null;
    const state = freshState(await this.o.store.lastChange(), false, new Date());
    await this.o.store.putSystem(stateKey(id), state);
    return state;
  }

  /** POSTs one notification; null when the receiver took it, else why not. */
  private async send(s: Served, state: SubscriptionState, type: NotificationType, events: ChangeEvent[]): Promise<string | null> {
    this.secret ??= await signingSecret(this.o.store, this.o.secret);
    const fields = { subscriptionId: s.resource.id, status: 'active', type, eventsSinceStart: state.eventsSinceStart + events.length };
    const body = JSON.stringify(notificationBundle(fields, events, payloadContentOf(s.resource)));
    return postNotification({
      endpoint: s.resource.channel.endpoint!,
      body,
      contentType: payloadTypeOf(s.resource),
      headers: channelHeaders(s.resource),
      secret: this.secret,
      timeoutMs: this.o.timeoutMs,
    });
  }

  private async succeeded(s: Served, state: SubscriptionState, delivered: number): Promise<void> {
    const next: SubscriptionState = {
      ...state,
      eventsSinceStart: state.eventsSinceStart + delivered,
      delivered: state.delivered + delivered,
      failures: 0,
      lastDelivered: new Date().toISOString(),
    };
    delete next.failingSince;
    delete next.nextAttempt;
    delete next.lastError;
    await this.o.store.putSystem(stateKey(s.resource.id), next);
    if (s.resource.status === 'error') await this.setStatus(s, 'active');
  }

  /**
   * Records a failed attempt and when to try again; past the horizon of continuous failure the pending page
   * (when there is one) is skipped and its matches counted as dropped. Returns false: nothing more this round.
   */
  private async failed(s: Served, state: SubscriptionState, error: string, page?: ChangePage, matched = 0): Promise<boolean> {
    const now = Date.now();
    const failingSince = state.failingSince ?? iso(now);
    const failures = state.failures + 1;
    const delay = Math.min(this.o.retryBaseMs * 2 ** Math.min(failures - 1, 30), this.o.retryCapMs);
    const next: SubscriptionState = { ...state, failures, failingSince, nextAttempt: iso(now + delay), lastError: error };
    if (page && now - Date.parse(failingSince) >= this.o.horizonMs) {
      next.cursor = page.through;
      next.dropped += matched;
      next.eventsSinceStart += matched;
      this.o.logger.warn({ subscription: s.resource.id, dropped: matched, through: page.through }, 'subscription failing past the horizon: events dropped');
    }
    await this.o.store.putSystem(stateKey(s.resource.id), next);
    // Once per streak: a new streak says its own reason even when the status is still `error`.
    if (s.resource.status !== 'error' || (failures === 1 && s.resource.error !== error)) await this.setStatus(s, 'error', error);
    return false;
  }

  /**
   * Writes the Subscription's status (and error text) as R4 has the server do, over the version read, so a
   * client's change meanwhile (turning it off, say) wins; the next failure or success tries again.
   */
  private async setStatus(s: Served, status: 'active' | 'error', error?: string): Promise<void> {
    const { store } = this.o;
    try {
      const current = (await store.read('Subscription', s.resource.id)) as Subscription & { id: string; meta: { versionId: string } };
      if (current.status === 'off') return;
      const next: Subscription & { id: string } = { ...current, status };
      if (error === undefined) delete next.error;
      else next.error = error;
      const { resource } = await store.update(next, current.meta.versionId);
      s.resource = resource as Subscription & { id: string };
    } catch (err) {
      this.o.logger.debug({ subscription: s.resource.id, err: toOperationOutcomeError(err).message }, 'subscription status not written');
    }
  }
}

/** A worker that has started polling; close it when the store closes. */
export function createSubscriptionWorker(options: SubscriptionWorkerOptions): SubscriptionWorker {
  const worker = new SubscriptionWorker(options);
  worker.start();
  return worker;
}
