/**
 * The test's side of store-process.ts: starts a real Node process (forked, with tsx, as bin/medgen-data.js
 * runs) and talks to it over IPC. Its stdout and stderr are collected, and its exit code is the process's own.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { OpenStoreConfig } from '../../src/store/open-store.js';

/** `at` is a wall-clock time (ms): processes told the same `at` go at once, whatever the IPC delays. */
export type ToChild =
  | { type: 'cli'; argv: string[] }
  | { type: 'go'; at: number }
  | { type: 'release' }
  | { type: 'open'; config: OpenStoreConfig }
  | { type: 'acquire'; name: string; owner: string; ttlMs: number; at: number }
  | { type: 'close' };

export type FromChild =
  | { type: 'ready' }
  | { type: 'poised' }
  | { type: 'holding' }
  | { type: 'opened' }
  | { type: 'acquired'; won: boolean; startedAt: number; endedAt: number }
  | { type: 'failed'; message: string };

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `cli` runs one CLI command, then ends; `lease` opens a store handle and takes leases on it. */
export type Mode = 'cli' | 'lease';
/** Where a `cli` process is held inside its task (see store-process.ts). */
export type Hold = 'cleanup' | 'migrate';

const SCRIPT = path.resolve('test/maintenance/store-process.ts');

export class StoreProcess {
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly inbox: FromChild[] = [];
  private readonly changed = new EventEmitter();
  private exit: Exit | undefined;

  constructor(mode: Mode, hold?: Hold) {
    this.child = fork(SCRIPT, [mode, hold ?? ''], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stdout = '';
    let stderr = '';
    this.child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    this.child.on('message', (msg: FromChild) => {
      this.inbox.push(msg);
      this.changed.emit('change');
    });
    // 'close', not 'exit': the output is complete by then.
    this.exited = new Promise((resolve) =>
      this.child.on('close', (code) => {
        this.exit = { code, stdout, stderr };
        this.changed.emit('change');
        resolve(this.exit);
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  send(msg: ToChild): void {
    this.child.send(msg);
  }

  /** The next message of this type; rejects when the process reports a failure or exits without sending it. */
  receive<T extends FromChild['type']>(type: T): Promise<Extract<FromChild, { type: T }>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const i = this.inbox.findIndex((m) => m.type === type || m.type === 'failed');
        if (i >= 0) {
          const msg = this.inbox.splice(i, 1)[0];
          this.changed.off('change', check);
          if (msg.type === 'failed') reject(new Error(`process ${this.pid} failed: ${msg.message}`));
          else resolve(msg as Extract<FromChild, { type: T }>);
        } else if (this.exit) {
          this.changed.off('change', check);
          reject(new Error(`process ${this.pid} exited (${this.exit.code}) without saying ${type}; stderr: ${this.exit.stderr}`));
        }
      };
      this.changed.on('change', check);
      check();
    });
  }

  /** Ends the process if it still runs (after a failed test). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

/** Started, loaded and ready to be told what to do; added to `started`, so the test can kill any left running. */
export async function startProcesses(count: number, started: StoreProcess[], mode: Mode, hold?: Hold): Promise<StoreProcess[]> {
  const processes = Array.from({ length: count }, () => new StoreProcess(mode, hold));
  started.push(...processes);
  await Promise.all(processes.map((p) => p.receive('ready')));
  return processes;
}

/** Whether the process sends this message before it exits (a failure, or exiting first, is a no). */
const says = (p: StoreProcess, type: 'poised' | 'holding') => p.receive(type).then(() => true, () => false);

/**
 * Runs the same CLI command in every process: lets them ask for the lease at one moment once each is ready
 * to, waits until each has either reached the hold inside its task (it got the lease) or exited (refused),
 * then lets the held ones finish. Returns each process's exit and whether it was held, in their order.
 */
export async function runTogether(processes: StoreProcess[], argv: string[]): Promise<{ held: boolean; exit: Exit }[]> {
  for (const p of processes) p.send({ type: 'cli', argv });
  const poised = await Promise.all(processes.map((p) => says(p, 'poised')));
  const at = Date.now() + 50;
  processes.forEach((p, i) => poised[i] && p.send({ type: 'go', at }));
  const held = await Promise.all(processes.map((p) => says(p, 'holding')));
  processes.forEach((p, i) => held[i] && p.send({ type: 'release' }));
  const exits = await Promise.all(processes.map((p) => p.exited));
  return exits.map((exit, i) => ({ held: held[i], exit }));
}
