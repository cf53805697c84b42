/** heapCollector: a full collection every N processed resources during a long import. */
import { fullCollection, heapCollector } from '../../src/import/heap-collector.js';

test('collects each time the resources processed since the last collection reach the step', () => {
  let collections = 0;
  const collect = heapCollector(100, 0, () => collections++);
  for (const processed of [10, 99, 100, 150, 199, 260, 261, 1000]) collect(processed);
  expect(collections).toBe(3);
});

test('never collects before the first `from` resources', () => {
  let collections = 0;
  const collect = heapCollector(100, 500, () => collections++);
  for (const processed of [100, 200, 300, 499]) collect(processed);
  expect(collections).toBe(0);
  for (const processed of [500, 550, 650]) collect(processed);
  expect(collections).toBe(2);
});

test('the full collection frees unreachable memory', () => {
  let garbage: object[] | null = Array.from({ length: 300_000 }, (_, i) => ({ i, text: `value ${i}` }));
  const held = process.memoryUsage().heapUsed;
  garbage = null;
  fullCollection();
  expect(garbage).toBeNull();
  expect(process.memoryUsage().heapUsed).toBeLessThan(held - 10 * 1024 * 1024);
});
