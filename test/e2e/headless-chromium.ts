/**
 * Test support: headless Chromium driven over the DevTools protocol, with only what the browser tests need (open
 * a page, evaluate an expression, wait until one holds). Chromium runs with the flags that work as root in a
 * container, in a fresh profile, and writes the debugging port it chose into that profile (DevToolsActivePort).
 * @see https://chromedevtools.github.io/devtools-protocol/
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';

export interface BrowserPage {
  /** Evaluates `expression` in the page (awaiting a promise it returns) and answers its JSON value. */
  evaluate<T>(expression: string): Promise<T>;
  /** Evaluates `expression` until it answers a truthy value, and answers that; rejects after `timeoutMs`. */
  waitFor<T>(expression: string, timeoutMs: number, what: string): Promise<T>;
  navigate(url: string): Promise<void>;
  /** What the page wrote to its console and the errors it threw, for a failure message. */
  log: string[];
}

export interface Browser {
  open(url: string): Promise<BrowserPage>;
  close(): Promise<void>;
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

async function debuggingPort(profile: string, child: ChildProcess): Promise<number> {
  const file = path.join(profile, 'DevToolsActivePort');
  for (let i = 0; i < 300; i++) {
    if (fs.existsSync(file)) {
      const port = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
      if (port > 0) return port;
    }
    if (child.exitCode !== null) throw new Error(`chromium exited with ${child.exitCode} before it listened`);
    await sleep(100);
  }
  throw new Error('chromium did not write its debugging port within 30 s');
}

/** One DevTools session on a page target: commands by id, console and exceptions collected. */
function connect(wsUrl: string): Promise<BrowserPage> {
  const socket = new WebSocket(wsUrl);
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const log: string[] = [];
  let next = 1;
  const send = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      socket.send(JSON.stringify({ id, method, params }));
    });
  socket.on('message', (data) => {
    const msg = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string }; method?: string; params?: Record<string, unknown> };
    if (msg.id !== undefined) {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
    } else if (msg.method === 'Runtime.consoleAPICalled') {
      const args = (msg.params?.args as { value?: unknown; description?: string }[]) ?? [];
      log.push(`console.${String(msg.params?.type)}: ${args.map((a) => a.value ?? a.description).join(' ')}`.slice(0, 500));
    } else if (msg.method === 'Runtime.exceptionThrown') {
      log.push(`exception: ${JSON.stringify(msg.params?.exceptionDetails).slice(0, 500)}`);
    }
  });
  const evaluate = async <T>(expression: string): Promise<T> => {
    const out = (await send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as { result: { value?: T }; exceptionDetails?: { text: string } };
    if (out.exceptionDetails) throw new Error(`in the page: ${out.exceptionDetails.text}`);
    return out.result.value as T;
  };
  const page: BrowserPage = {
    log,
    evaluate,
    async waitFor<T>(expression: string, timeoutMs: number, what: string): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = await evaluate<T>(expression).catch(() => undefined);
        if (value) return value;
        if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}; the page logged:\n${log.slice(-30).join('\n')}`);
        await sleep(250);
      }
    },
    async navigate(url: string): Promise<void> {
      await send('Page.navigate', { url });
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', async () => {
      await send('Runtime.enable');
      await send('Page.enable');
      resolve(page);
    });
  });
}

/** Starts headless Chromium (`binary`) in a fresh profile. */
export async function launchChromium(binary: string): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-chromium-'));
  const child = spawn(binary, [...FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', '--window-size=1400,900', 'about:blank'], { stdio: 'ignore', detached: true });
  const port = await debuggingPort(profile, child);
  return {
    async open(url: string): Promise<BrowserPage> {
      const target = (await (await fetch(`http://127.0.0.1:${port}/json/new?${encodeURI(url)}`, { method: 'PUT' })).json()) as { webSocketDebuggerUrl: string };
      return connect(target.webSocketDebuggerUrl);
    },
    async close(): Promise<void> {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // The whole process group: the browser's renderer and GPU processes write the profile too.
      process.kill(-(child.pid as number), 'SIGKILL');
      await Promise.race([exited, sleep(5000, undefined, { ref: false })]);
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    },
  };
}
