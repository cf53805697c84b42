/** The key rules both file store drivers share: what a key may be, and the 400 for what it may not. */
import { OperationOutcomeError } from '../../src/fhir/outcomes.js';
import { checkKey, checkPrefix, checkRange } from '../../src/files/file-store.js';

function status(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof OperationOutcomeError ? err.status : -1;
  }
}

test('relative, slash-separated keys pass unchanged', () => {
  for (const key of ['a', 'jobs/x/y.ndjson', '.hidden', 'a/..b/c..', 'dicom/1.2.840/1.2.3.dcm', 'ünï cødé/ok', 'k'.repeat(1024)]) {
    expect(checkKey(key)).toBe(key);
  }
});

test('empty, absolute, dot, empty-segment, backslash, NUL and over-long keys are a 400', () => {
  for (const key of ['', '/abs', '../x', 'a/../../x', 'a/..', '.', 'a/./b', 'a//b', 'a/', 'a\\b', 'x\0y', 'k'.repeat(1025), 'é'.repeat(513)]) {
    expect(status(() => checkKey(key))).toBe(400);
  }
});

test('a prefix is empty, a key, or a key and a trailing slash', () => {
  for (const prefix of ['', 'a', 'a/', 'jobs/x/']) expect(checkPrefix(prefix)).toBe(prefix);
  for (const prefix of ['/', '//', 'a//', '../', '/abs/', 'a/./']) expect(status(() => checkPrefix(prefix))).toBe(400);
});

test('a byte range is two whole numbers, start not after end', () => {
  expect(status(() => checkRange({ start: 0, end: 0 }))).toBeUndefined();
  expect(status(() => checkRange(undefined))).toBeUndefined();
  for (const range of [{ start: -1, end: 2 }, { start: 3, end: 2 }, { start: 0.5, end: 2 }, { start: 0, end: Number.NaN }]) {
    expect(status(() => checkRange(range))).toBe(400);
  }
});
