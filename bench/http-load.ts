/**
 * A load generator in a child process: keep-alive connections, one request in flight on each, written and
 * parsed on raw sockets as wrk and autocannon do. Node's own http client costs more per request than the
 * server under test, so with it the benchmark would measure the client. (A child process, not a worker
 * thread: Node 20 workers do not inherit the tsx loader.) With `body`, every request is a POST of it (the
 * create bench); without, a GET.
 */
import net from 'node:net';

interface LoadOptions {
  url: string;
  paths: string[];
  concurrency: number;
  requests: number;
  headers?: Record<string, string>;
  /** A JSON body to POST to every path instead of a GET. */
  body?: string;
}

interface Tally {
  sent: number;
  ok: number;
  failed: number;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Length of the first complete response in `buffer` and its status, or undefined when it is incomplete. */
function completeResponse(buffer: Buffer): { length: number; status: number } | undefined {
  const headerEnd = buffer.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const head = buffer.toString('latin1', 0, headerEnd);
  const status = Number(head.slice(9, 12));
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const length = headerEnd + 4 + (match ? Number(match[1]) : 0);
  return buffer.length >= length ? { length, status } : undefined;
}

function runConnection(options: LoadOptions, target: URL, tally: Tally): Promise<void> {
  const extra = Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const request =
    options.body === undefined
      ? (path: string) => `GET ${path} HTTP/1.1\r\nHost: ${target.host}\r\n${extra}\r\n`
      : (path: string) =>
          `POST ${path} HTTP/1.1\r\nHost: ${target.host}\r\n${extra}Content-Type: application/fhir+json\r\nContent-Length: ${Buffer.byteLength(options.body!)}\r\n\r\n${options.body}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(target.port), target.hostname);
    socket.setNoDelay(true);
    let pending = Buffer.alloc(0);
    const next = () => {
      if (tally.sent >= options.requests) {
        socket.end();
        return resolve();
      }
      const path = options.paths[tally.sent++ % options.paths.length];
      socket.write(request(path));
    };
    socket.on('connect', next);
    socket.on('data', (chunk) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const response = completeResponse(pending);
      if (!response) return;
      pending = pending.subarray(response.length);
      if (response.status === 200 || response.status === 201) tally.ok++;
      else tally.failed++;
      next();
    });
    socket.on('error', reject);
  });
}

const options = await new Promise<LoadOptions>((resolve) => process.once('message', (m) => resolve(m as LoadOptions)));
const target = new URL(options.url);
const tally: Tally = { sent: 0, ok: 0, failed: 0 };
const start = process.hrtime.bigint();
await Promise.all(Array.from({ length: options.concurrency }, () => runConnection(options, target, tally)));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.send!({ ok: tally.ok, failed: tally.failed, seconds }, () => process.disconnect());
