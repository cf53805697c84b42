import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve('bin/medgen-data.js');

/** Starts `medgen-data serve` on a free port and resolves with its URL once it logs that it listens. */
function serve(dataDir: string) {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info', JEST_WORKER_ID: '' } });
  let out = '';
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"([^"]+)".*"msg":"medgen-data listening"/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, listening, exited, output: () => out };
}

describe('medgen-data serve', () => {
  it('serves, and on SIGTERM finishes, closes the store and exits 0', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-serve-'));
    const server = serve(dataDir);
    const url = await server.listening;
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toEqual({ status: 'ok', store: 'sqlite' });
    const created = await fetch(`${url}/fhir/Patient`, { method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Patient', gender: 'female' }) });
    expect(created.status).toBe(201);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/medgen-data stopped/);
    expect(fs.existsSync(path.join(dataDir, 'medgen.sqlite'))).toBe(true);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 2 on usage errors', async () => {
    const run = (args: string[]) =>
      new Promise<number | null>((resolve) => spawn(process.execPath, [bin, ...args], { stdio: 'ignore' }).once('exit', resolve));
    expect(await run(['serve', '--port', 'abc'])).toBe(2);
    expect(await run(['no-such-command'])).toBe(2);
    expect(await run(['full', '--count', '0'])).toBe(2);
    expect(await run(['full', '--state', 'Atlantis'])).toBe(2);
  });
});
