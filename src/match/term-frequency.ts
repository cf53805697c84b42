/**
 * Term-frequency adjustment of exact name agreements: two records both named "Smith" say less than two both
 * named "Zbigniewski". With f(v) the share of records holding value v, two different people agree on v with
 * probability f(v)², and the average exact agreement of two different people is Σf²; so an agreement on v is
 * worth log2(Σf² / f(v)) bits more than the average one the EM weight stands for (Winkler's frequency-based
 * weights, as Splink applies them).
 *
 * Only values held by at least MIN_COUNT records are kept (so the table stays small enough to store with the
 * model for `$match`); any other value counts as held by one record.
 * (Winkler, W. E., Frequency-Based Matching in the Fellegi-Sunter Model of Record Linkage, Proceedings of the
 * Section on Survey Research Methods, American Statistical Association, 1989.)
 */

const MIN_COUNT = 3;
/** Bounds of the adjustment, in bits: a value's frequency tunes the weight, it does not decide the pair. */
const MOST_PENALTY = -6;
const MOST_BONUS = 3;

export interface TermFrequencies {
  /** Records counted. */
  records: number;
  /** Σ f(v)² over every value, rare ones included. */
  sumSquares: number;
  /** Values held by MIN_COUNT records or more, with their counts. */
  common: Record<string, number>;
}

/** The frequencies of `values` (one per record that has one). */
export function termFrequencies(values: Iterable<string>): TermFrequencies {
  const counts = new Map<string, number>();
  let records = 0;
  for (const v of values) {
    counts.set(v, (counts.get(v) ?? 0) + 1);
    records++;
  }
  let squares = 0;
  const common: Record<string, number> = {};
  for (const [v, n] of counts) {
    squares += n * n;
    if (n >= MIN_COUNT) common[v] = n;
  }
  return { records, sumSquares: records ? squares / (records * records) : 0, common };
}

/** Bits to add to the exact-agreement weight for an agreement on `value`. */
export function frequencyAdjustment(tf: TermFrequencies, value: string): number {
  if (tf.records === 0 || tf.sumSquares === 0) return 0;
  const share = (tf.common[value] ?? 1) / tf.records;
  return Math.min(MOST_BONUS, Math.max(MOST_PENALTY, Math.log2(tf.sumSquares / share)));
}
