/**
 * The import's side of validation ahead: a worker thread validates units before the import reaches them, so
 * strict and lenient imports validate on one core while they resolve references and write on another.
 * Validation was ~25% of a strict Synthea import's time on its own thread.
 * One worker, started on first use and shared by every import of the process, holds the compiled validators
 * (the import's own thread then never builds them); it does not keep the process alive.
 * Whenever the worker cannot answer (it failed, or its units disagree with the import's), the import
 * validates the unit itself: the results are the same, only slower.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../logger.js';
import type { UnitSource } from '../unit-source.js';
import type { FromWorker, ToWorker } from './messages.js';
import type { EntryIssues } from './validate-unit.js';

/**
 * Units validated ahead of the import. Whatever the window, the worker holds what it is reading (a chunk of
 * NDJSON, or one JSON document) and the import only the issues of the units ahead, so memory does not bound
 * this; waiting does. With 2, a run of small units left the worker just two units ahead, and the import then
 * waited for all of the next 1000-entry chunk: 8 measured about 10% faster on the warmed Synthea import
 * (2.15-2.21 s against 2.41-2.43 s, paired runs).
 */
const WINDOW = 8;

/**
 * The worker's heap limits, far below V8's defaults: validation allocates fast and briefly, so a large nursery
 * only holds garbage, and V8 collects the old generation sooner under a stated limit. Measured on a 150 MB
 * NDJSON import: ~90 MB less peak RSS at the same speed. The old generation still has room for the largest
 * Bundle an import takes; should the worker run out anyway, imports fall back to their own thread.
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 512 };

interface Listener {
  receive(m: FromWorker): void;
  /** The worker is gone: no further answer will come. */
  lost(): void;
}

interface Shared {
  worker: Worker;
  listeners: Map<number, Listener>;
  warm: (() => void)[];
}

let shared: Shared | undefined;
let sessions = 0;

function worker(logger: Logger): Shared {
  if (shared) return shared;
  const w = new Worker(new URL('./ahead-boot.mjs', import.meta.url), { resourceLimits: WORKER_LIMITS });
  const state: Shared = { worker: w, listeners: new Map(), warm: [] };
  const lose = () => {
    if (shared === state) shared = undefined;
    for (const l of state.listeners.values()) l.lost();
    for (const done of state.warm.splice(0)) done();
  };
  w.on('message', (m: FromWorker) => {
    if (m.type === 'warm') state.warm.shift()?.();
    else state.listeners.get(m.session)?.receive(m);
    idle(state);
  });
  w.on('error', (err) => {
    logger.warn({ err }, 'validation worker failed; imports validate on their own thread');
    lose();
  });
  w.on('exit', lose);
  w.unref();
  shared = state;
  return state;
}

/** The worker keeps the process alive only while an import or a warm-up waits for it. */
function idle(state: Shared): void {
  if (state.listeners.size === 0 && state.warm.length === 0) state.worker.unref();
  else state.worker.ref();
}

/** Starts the worker and compiles its validators now (a benchmark keeps that start-up out of its rate). */
export function warmValidationWorker(logger: Logger): Promise<void> {
  const state = worker(logger);
  return new Promise((resolve) => {
    state.warm.push(resolve);
    idle(state);
    state.worker.postMessage({ type: 'warm' } satisfies ToWorker);
  });
}

/** Stops the worker (tests; a process exits without it). */
export async function stopValidationWorker(): Promise<void> {
  const state = shared;
  shared = undefined;
  await state?.worker.terminate();
}

export class ValidationAhead implements Listener {
  private readonly session = ++sessions;
  private readonly state: Shared;
  private readonly results = new Map<number, EntryIssues[]>();
  private readonly waiting = new Map<number, (issues: EntryIssues[] | undefined) => void>();
  /** Set once no further unit will arrive (all sent, failed, stopped, or the worker is gone). */
  private finished = false;

  constructor(source: UnitSource, baseUrl: string | undefined, private readonly logger: Logger) {
    this.state = worker(logger);
    this.state.listeners.set(this.session, this);
    idle(this.state);
    this.post({ type: 'start', session: this.session, source, baseUrl, window: WINDOW });
  }

  /**
   * The issues of unit `n` (it has `entries` entries), each entry's issues or null; undefined when the worker
   * has no answer for it, and the import validates the unit itself.
   */
  async unit(n: number, entries: number): Promise<EntryIssues[] | undefined> {
    const issues = await this.take(n);
    this.post({ type: 'credit', session: this.session });
    if (issues && issues.length !== entries) {
      this.logger.warn({ unit: n, entries, validated: issues.length }, 'validation worker read another unit; the import validates on its own thread');
      this.close();
      return undefined;
    }
    return issues;
  }

  /** Ends the session; the worker stays for the next import. */
  close(): void {
    if (!this.finished) this.post({ type: 'stop', session: this.session });
    this.lost();
  }

  receive(m: FromWorker): void {
    if (m.type === 'unit') {
      const waiter = this.waiting.get(m.n);
      if (!waiter) return void this.results.set(m.n, m.issues);
      this.waiting.delete(m.n);
      return waiter(m.issues);
    }
    if (m.type === 'failed') this.logger.warn({ reason: m.message }, 'validation worker could not read the input; the import validates on its own thread');
    this.lost();
  }

  lost(): void {
    this.finished = true;
    this.state.listeners.delete(this.session);
    idle(this.state);
    for (const settle of this.waiting.values()) settle(undefined);
    this.waiting.clear();
  }

  private post(m: ToWorker): void {
    if (shared === this.state) this.state.worker.postMessage(m);
  }

  private take(n: number): Promise<EntryIssues[] | undefined> {
    const ready = this.results.get(n);
    if (ready) {
      this.results.delete(n);
      return Promise.resolve(ready);
    }
    if (this.finished) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.set(n, resolve));
  }
}
