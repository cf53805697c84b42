/**
 * A rest-hook receiver for the subscription acceptance check: a loopback HTTP server that records every
 * notification's events by number (checking the signature of each), and that can be taken down and brought
 * back on the same port, or made to answer 500.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, Parameters } from 'fhir/r4.js';
import { SIGNATURE_HEADER, verifySignature } from '../../src/events/signature.js';

export interface Received {
  /** Focus reference (Type/id/_history/N) by event number. */
  events: Map<number, string>;
  notifications: number;
  heartbeats: number;
  /** Bodies whose signature did not verify, or whose numbers came twice with another focus. */
  problems: string[];
}

function eventsOf(bundle: Bundle): { type: string; events: [number, string][] } {
  const status = bundle.entry?.[0]?.resource as Parameters | undefined;
  const type = status?.parameter?.find((p) => p.name === 'type')?.valueCode ?? '';
  const events: [number, string][] = [];
  for (const p of status?.parameter ?? []) {
    if (p.name !== 'notification-event') continue;
    const number = Number(p.part?.find((x) => x.name === 'event-number')?.valueString);
    const focus = p.part?.find((x) => x.name === 'focus')?.valueReference?.reference ?? '';
    events.push([number, focus.replace(/^.*\/(\w+\/[^/]+\/_history\/\d+)$/, '$1')]);
  }
  return { type, events };
}

export class Receiver {
  readonly received: Received = { events: new Map(), notifications: 0, heartbeats: 0, problems: [] };
  private server?: http.Server;
  private port = 0;
  /** Answer 500 to everything while set. */
  failing = false;

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (this.failing) return void res.writeHead(500).end();
        const body = Buffer.concat(chunks).toString('utf8');
        this.record(body, String(req.headers[SIGNATURE_HEADER.toLowerCase()] ?? ''));
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  private record(body: string, signature: string): void {
    const r = this.received;
    if (!verifySignature(this.secret, signature, body, Math.floor(Date.now() / 1000))) r.problems.push(`signature "${signature}" does not verify`);
    const { type, events } = eventsOf(JSON.parse(body) as Bundle);
    if (type === 'heartbeat') r.heartbeats++;
    if (type !== 'event-notification') return;
    r.notifications++;
    for (const [number, focus] of events) {
      const before = r.events.get(number);
      if (before !== undefined && before !== focus) r.problems.push(`event ${number} came as ${before} and as ${focus}`);
      r.events.set(number, focus);
    }
  }
}
