/** The one JSON line each benchmark result prints (SPEC "Benchmarks"). */
export interface BenchResult {
  bench: string;
  items: number;
  unit: string;
  seconds: number;
  rate: number;
  baseline: string;
  baseline_rate: number;
  ratio: number;
  rss_mb: number;
  /** The server a store bench measured, when it is not embedded (e.g. "FerretDB v1.24.2"). */
  server?: string;
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

export function benchResult(bench: string, unit: string, items: number, seconds: number, baseline: string, baselineRate: number, peakRssBytes = process.memoryUsage().rss): BenchResult {
  const rate = items / seconds;
  return {
    bench,
    items,
    unit,
    seconds: round(seconds),
    rate: round(rate, 1),
    baseline,
    baseline_rate: round(baselineRate, 1),
    ratio: round(rate / baselineRate),
    rss_mb: round(peakRssBytes / 1024 / 1024, 1),
  };
}

export function printResult(result: BenchResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** Seconds since `start` (from process.hrtime.bigint()). */
export const secondsSince = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
