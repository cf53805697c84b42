/**
 * `GET /fhir/_changes?since=N`: the change feed as server-sent events. Each change is one event whose `id` is
 * its number, so a client that reconnects with `Last-Event-ID` (EventSource does so by itself) resumes
 * exactly after the last change it received; without either, the stream starts at the newest change. `_type`
 * (comma-separated) keeps only those resource types. The stream reads the outbox (store.changes) and never
 * touches a write; a reader that falls behind is simply further back in the outbox, and a slow client holds
 * the stream back (each write waits for the socket to drain) rather than filling memory.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
import type { Request, Response } from 'express';
import { summarize } from '../src/events/change-event.js';
import { badRequest, toOperationOutcomeError } from '../src/fhir/outcomes.js';
import type { Logger } from '../src/logger.js';
import { isKnownResourceType } from '../src/search/search-parameters.js';
import type { ResourceStore } from '../src/store/resource-store.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** Changes read per round. */
const PAGE = 1000;
/** How often an idle stream looks for new changes. */
const POLL_MS = 250;
/** A comment line this often keeps proxies from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

function sinceOf(req: Request): number | undefined {
  const raw = typeof req.query.since === 'string' ? req.query.since : req.get('last-event-id');
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw badRequest(`since must be a change number (a whole number from 0), got "${raw.slice(0, 40)}"`, 'since');
  return Number(raw);
}

function typesOf(req: Request): string[] | undefined {
  const raw = req.query._type;
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw === '') throw badRequest('_type names resource types, separated by commas', '_type');
  const types = raw.split(',');
  const unknown = types.find((t) => !isKnownResourceType(t));
  if (unknown !== undefined) throw badRequest(`_type: "${unknown.slice(0, 64)}" is not a resource type`, '_type');
  return types;
}

/** Writes `text`, waiting while the socket's buffer is full; false once the client is gone. */
async function send(res: Response, text: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(text)) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
  return !res.destroyed;
}

export function changeStream(store: ResourceStore, logger: Logger, options: { pollMs?: number } = {}) {
  const pollMs = options.pollMs ?? POLL_MS;
  return async (req: Request, res: Response): Promise<void> => {
    const types = typesOf(req);
    let cursor = sinceOf(req) ?? (await store.lastChange());
    let open = true;
    req.on('close', () => (open = false));
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    // The retry hint, and a first line so the client knows the stream is open before any change comes.
    if (!(await send(res, `retry: 2000\n: changes after ${cursor}\n\n`))) return;
    let quietSince = Date.now();
    try {
      while (open) {
        const page = await store.changes(cursor, { limit: PAGE, types });
        for (const change of page.changes) {
          if (!(await send(res, `id: ${change.seq}\nevent: change\ndata: ${JSON.stringify(summarize(change))}\n\n`))) return;
        }
        cursor = page.through;
        if (page.changes.length > 0) quietSince = Date.now();
        else if (Date.now() - quietSince >= KEEPALIVE_MS) {
          if (!(await send(res, `: keep-alive ${cursor}\n\n`))) return;
          quietSince = Date.now();
        }
        if (!page.more) await sleep(pollMs);
      }
    } catch (err) {
      // The status line is long sent: the failure goes out as an event, and the client reconnects from its last id.
      logger.warn({ err }, 'change stream stopped');
      await send(res, `event: error\ndata: ${JSON.stringify(toOperationOutcomeError(err).outcome)}\n\n`);
    }
    res.end();
  };
}
