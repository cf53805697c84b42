/** A real SQLite store in a temporary directory, and an import context over it. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createImportContext } from '../../src/import/import-context.js';
import type { ImportMode } from '../../src/import/import-types.js';
import { createLogger } from '../../src/logger.js';
import type { ResourceStore } from '../../src/store/resource-store.js';
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

export interface StoreFixture {
  store: ResourceStore;
  dir: string;
  context(mode?: ImportMode): ReturnType<typeof createImportContext>;
  close(): Promise<void>;
}

export function storeFixture(): StoreFixture {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-import-'));
  const store = createSqliteStore({ path: path.join(dir, 'medgen.sqlite') });
  return {
    store,
    dir,
    context: (mode: ImportMode = 'strict') => createImportContext({ store, mode, logger: createLogger('silent') }),
    close: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every reference held by every stored resource of the given types. */
export async function storedReferences(store: ResourceStore, types: string[]): Promise<string[]> {
  const refs: string[] = [];
  for (const type of types) {
    for await (const r of store.stream(type)) {
      for (const link of await store.referencesFrom(r.resourceType, r.id)) refs.push(link.url ?? `${link.targetType}/${link.targetId}`);
    }
  }
  return refs;
}
