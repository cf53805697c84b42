/** Counting an import's outcomes per resource type as units complete. */
import type { WriteStatus } from '../store/resource-store.js';
import type { ImportFailure, ImportSummary, TypeCounts } from './import-types.js';

const zero = (): TypeCounts => ({ created: 0, updated: 0, unchanged: 0, failed: 0 });

/** At most this many failures and warnings are kept in memory; the counts stay exact beyond it. */
export const MAX_REPORTED = 1000;

export class ImportTally {
  private readonly byType = new Map<string, TypeCounts>();
  readonly failures: ImportFailure[] = [];
  readonly warnings: ImportFailure[] = [];
  readonly references = { rewritten: 0, resolved: 0 };
  private readonly started = process.hrtime.bigint();

  /** Called for every failure (also those beyond MAX_REPORTED), e.g. to append it to a job's error file. */
  onFailure?: (failure: ImportFailure) => void;

  private counts(type: string): TypeCounts {
    let counts = this.byType.get(type);
    if (!counts) this.byType.set(type, (counts = zero()));
    return counts;
  }

  stored(type: string, status: WriteStatus): void {
    const counts = this.counts(type);
    if (status === 'created') counts.created++;
    else if (status === 'updated') counts.updated++;
    else counts.unchanged++;
  }

  failed(failure: ImportFailure): void {
    this.counts(failure.resourceType ?? 'unknown').failed++;
    if (this.failures.length < MAX_REPORTED) this.failures.push(failure);
    this.onFailure?.(failure);
  }

  /** An entry that failed only because its transaction did; counted, not reported again. */
  failedWithUnit(type: string): void {
    this.counts(type).failed++;
  }

  warned(warning: ImportFailure): void {
    if (this.warnings.length < MAX_REPORTED) this.warnings.push(warning);
  }

  get total(): number {
    let n = 0;
    for (const c of this.byType.values()) n += c.created + c.updated + c.unchanged + c.failed;
    return n;
  }

  summary(): ImportSummary {
    const totals = zero();
    const byType: Record<string, TypeCounts> = {};
    for (const [type, c] of [...this.byType].sort(([a], [b]) => a.localeCompare(b))) {
      byType[type] = { ...c };
      totals.created += c.created;
      totals.updated += c.updated;
      totals.unchanged += c.unchanged;
      totals.failed += c.failed;
    }
    const seconds = Number(process.hrtime.bigint() - this.started) / 1e9;
    const processed = totals.created + totals.updated + totals.unchanged + totals.failed;
    return { ...totals, byType, failures: this.failures, warnings: this.warnings, references: { ...this.references }, seconds, rate: seconds > 0 ? processed / seconds : 0 };
  }
}
