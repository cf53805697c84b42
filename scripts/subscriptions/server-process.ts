/** The medgen-data server as a child process (`serve`) on a loopback port, for checks that kill and restart it. */
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const bin = path.resolve('bin/medgen-data.js');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export class ServerProcess {
  private child?: ChildProcess;
  private port = 0;

  constructor(
    private readonly dataDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}/fhir`;
  }

  /** Starts the server (on the port it had before, when restarted) and waits until /health answers. */
  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    this.child = spawn(process.execPath, [bin, 'serve', '--host', '127.0.0.1', '--port', String(this.port), '--data-dir', this.dataDir], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...this.env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (let i = 0; i < 300; i++) {
      if (this.child.exitCode !== null) throw new Error(`the server exited with ${this.child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${this.port}/health`).then((r) => r.ok, () => false);
      if (ok) return;
      await sleep(100);
    }
    throw new Error('the server did not answer /health within 30 s');
  }

  kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }
}
