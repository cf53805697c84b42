/**
 * A rest-hook receiver on loopback for the delivery tests: a real node:http server that records every POST
 * (time, headers, body) and answers what the test sets (200 by default); it can be stopped and started again
 * on the same port to play a receiver that is down.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, Parameters } from 'fhir/r4.js';

export interface Received {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  bundle: Bundle;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** The status answered from now on. */
  answer: number;
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  let server: http.Server | undefined;
  const receiver: Receiver = {
    url: '',
    received,
    answer: 200,
    async start() {
      server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          received.push({ at: Date.now(), headers: req.headers, body, bundle: JSON.parse(body) as Bundle });
          res.writeHead(receiver.answer).end();
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}/hook`;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
  await receiver.start();
  return receiver;
}

/** The SubscriptionStatus of a notification. */
export const statusOf = (bundle: Bundle) => bundle.entry![0].resource as Parameters;

/** A notification's event numbers and focus references, from its status. */
export function eventsOf(bundle: Bundle): { number: number; focus?: string }[] {
  return (statusOf(bundle).parameter ?? [])
    .filter((p) => p.name === 'notification-event')
    .map((p) => ({
      number: Number(p.part!.find((x) => x.name === 'event-number')!.valueString),
      focus: p.part!.find((x) => x.name === 'focus')?.valueReference?.reference,
    }));
}

export const notificationType = (bundle: Bundle) => statusOf(bundle).parameter!.find((p) => p.name === 'type')!.valueCode;

/** Waits until `done()` holds, polling; throws with `what` after `ms`. */
export async function waitFor(what: string, done: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
