/**
 * Pending migrations for the two-process test (the shipped list is empty). The first one marks every Patient
 * with the pid of the process that applied it, appending to what is there: applying it a second time, even
 * at the same moment in another process, leaves versions and marks of its own, so "applied once" can be seen
 * in the data and not only in the record.
 */
import type { Patient } from 'fhir/r4.js';
import type { Migration } from '../../src/maintenance/migrations.js';
import type { WriteOp } from '../../src/store/resource-store.js';

export const MARK_URL = 'urn:medgen-test:migrated-by';

/** `beforeFirst` runs as the first migration starts: the test holds the migration there while it looks. */
export function heldMigrations(beforeFirst: () => Promise<void> = async () => undefined): Migration[] {
  return [
    {
      id: '9001-mark-patients',
      description: 'marks each Patient with the process that migrated it',
      async up(store) {
        await beforeFirst();
        const ops: WriteOp[] = [];
        for await (const p of store.stream('Patient')) {
          const extension = [...((p as Patient).extension ?? []), { url: MARK_URL, valueString: String(process.pid) }];
          ops.push({ op: 'put', resource: { ...p, extension } as Patient & { id: string } });
        }
        return ops;
      },
    },
    { id: '9002-noop', description: 'changes nothing; recorded after 9001', up: async () => [] },
  ];
}
