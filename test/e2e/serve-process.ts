/** Test support: `medgen-data serve` as a separate process on a free loopback port, with its own environment. */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const bin = path.resolve('bin/medgen-data.js');

export interface ServeProcess {
  child: ChildProcess;
  /** The server's base URL once it logs that it listens. */
  url: Promise<string>;
  exited: Promise<number | null>;
  output(): string;
}

export function serveProcess(env: Record<string, string>): ServeProcess {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info', JEST_WORKER_ID: '', ...env },
  });
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"([^"]+)".*"msg":"medgen-data listening"/.exec(out);
      if (match) resolve(match[1]);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}: ${out.slice(-2000)}`)));
  });
  url.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, url, exited, output: () => out };
}
