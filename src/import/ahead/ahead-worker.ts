/**
 * The validation worker: reads an import's input again, unit by unit, and sends each unit's validation
 * issues to the import, at most `window` units ahead of it (credit from the import). One worker serves every
 * import of the process, so the validators are compiled once, as on the main thread before.
 * Runs in a worker thread, so the CPU-heavy validation uses another core while the import writes.
 */
import { parentPort } from 'node:worker_threads';
import { validateResource } from '../../validation/validate-resource.js';
import { unitsOfSource, type UnitSource } from '../unit-source.js';
import type { FromWorker, ToWorker } from './messages.js';
import { validateUnitAhead } from './validate-unit.js';

interface Session {
  credit: number;
  stopped: boolean;
  wake?: () => void;
}

const port = parentPort!;
const sessions = new Map<number, Session>();
const send = (message: FromWorker) => port.postMessage(message);

async function run(id: number, session: Session, source: UnitSource, baseUrl: string | undefined): Promise<void> {
  let n = 0;
  for await (const unit of unitsOfSource(source)) {
    while (session.credit === 0 && !session.stopped) await new Promise<void>((resolve) => (session.wake = resolve));
    if (session.stopped) return;
    session.credit--;
    send({ type: 'unit', session: id, n: n++, issues: await validateUnitAhead(unit, baseUrl) });
  }
  send({ type: 'done', session: id });
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'warm') {
    validateResource({ resourceType: 'Bundle', type: 'collection' });
    send({ type: 'warm' });
    return;
  }
  if (m.type === 'start') {
    const session: Session = { credit: m.window, stopped: false };
    sessions.set(m.session, session);
    run(m.session, session, m.source, m.baseUrl)
      .catch((err: unknown) => send({ type: 'failed', session: m.session, message: err instanceof Error ? err.message : String(err) }))
      .finally(() => sessions.delete(m.session));
    return;
  }
  const session = sessions.get(m.session);
  if (!session) return;
  if (m.type === 'credit') session.credit++;
  else session.stopped = true;
  session.wake?.();
});
