/**
 * One process of two-processes.test.ts, forked with tsx (store-processes.ts starts it): it runs the CLI's
 * main(), as bin/medgen-data.js does, or takes leases on a store handle of its own, as the test tells it
 * over IPC. Its arguments: the mode (`cli` or `lease`), then for `cli` where to hold the task.
 *
 * A `cli` process stops twice, so that what the test asserts does not depend on timing:
 * - just before its first lease request (`poised`, until `go`): each process opens its store in its own
 *   time, and the test lets all of them ask for the lease at one moment (`at`);
 * - inside the task once it holds the lease (`holding`, until `release`): the task is slow at will, instead
 *   of made slow with data (FerretDB is slow to seed), so the other process asks while it runs. `cleanup`
 *   holds cleanup-orphans at its first store call (countByType); `migrate` adds the held migrations to the
 *   pending ones (the shipped list is empty) and holds in the first.
 * The store methods are patched on the classes' prototypes, since the CLI opens its store itself.
 */
import type { OpenStoreConfig } from '../../src/store/open-store.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import type { FromChild, Hold, Mode, ToChild } from './store-processes.js';

const [mode, hold] = process.argv.slice(2) as [Mode, Hold | ''];
const send = (msg: FromChild): void => void process.send!(msg);
const atTime = (at: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));

/** Resolves when the test sends a message of this type. */
const told = <T extends ToChild['type']>(type: T) =>
  new Promise<Extract<ToChild, { type: T }>>((resolve) => {
    const listener = (msg: ToChild) => {
      if (msg.type !== type) return;
      process.off('message', listener);
      resolve(msg as Extract<ToChild, { type: T }>);
    };
    process.on('message', listener);
  });

const go = told('go');
const released = told('release');
let poised: Promise<void> | undefined;
const holding = async () => {
  send({ type: 'holding' });
  await released;
};

type Store = Pick<ResourceStore, 'acquireLock' | 'countByType'>;

function patch(proto: Store): void {
  const { acquireLock, countByType } = proto;
  // Only the first request waits: the lease's renewals go straight through.
  proto.acquireLock = async function (this: Store, name, owner, ttlMs) {
    poised ??= (send({ type: 'poised' }), go.then(({ at }) => atTime(at).then(() => undefined)));
    await poised;
    return acquireLock.call(this, name, owner, ttlMs);
  };
  if (hold === 'cleanup') {
    proto.countByType = async function (this: Store) {
      await holding();
      return countByType.call(this);
    };
  }
}

/** Only what the mode needs is loaded (the whole CLI takes seconds to load on a busy machine). */
async function load() {
  if (mode === 'lease') return { openStore: (await import('../../src/store/open-store.js')).openStore };
  const [{ main }, { MIGRATIONS }, { createMongoStoreFromDatabase }, { SqliteStore }, { MingoDatabase }, { heldMigrations }] = await Promise.all([
    import('../../src/cli/main.js'),
    import('../../src/maintenance/migrations.js'),
    import('../../src/store/mongo/mongo-store.js'),
    import('../../src/store/sqlite/sqlite-store.js'),
    import('../store/mingo-collection.js'),
    import('./held-migrations.js'),
  ]);
  // The MongoDB store's class is not exported: its prototype is taken from a store over an in-memory database.
  const mongoStore = await createMongoStoreFromDatabase(new MingoDatabase());
  [SqliteStore.prototype, Object.getPrototypeOf(mongoStore) as Store].forEach(patch);
  if (hold === 'migrate') MIGRATIONS.push(...heldMigrations(holding));
  return { main };
}

const loaded: { main?: (argv: string[]) => Promise<number>; openStore?: (config: OpenStoreConfig) => Promise<ResourceStore> } = await load();
let store: ResourceStore | undefined;

async function handle(msg: ToChild): Promise<void> {
  switch (msg.type) {
    case 'cli':
      process.exitCode = await loaded.main!(['node', 'medgen-data', ...msg.argv]);
      // Without the channel nothing is left to wait for: the process ends as the CLI's would.
      return process.disconnect();
    case 'open':
      store = await loaded.openStore!(msg.config);
      return send({ type: 'opened' });
    case 'acquire': {
      await atTime(msg.at);
      const startedAt = Date.now();
      const won = await store!.acquireLock(msg.name, msg.owner, msg.ttlMs);
      return send({ type: 'acquired', won, startedAt, endedAt: Date.now() });
    }
    case 'close':
      await store?.close();
      return process.disconnect();
    default:
      // `go` and `release` are awaited where the process stops.
      return;
  }
}

process.on('message', (msg: ToChild) => {
  handle(msg).catch((err: unknown) => send({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});
send({ type: 'ready' });
