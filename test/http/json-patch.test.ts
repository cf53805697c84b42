/** JSON Patch (RFC 6902) as a pure function: each operation, pointers with escapes, and the faults it refuses. */
import { applyJsonPatch } from '../../src/fhir/json-patch.js';
import { OperationOutcomeError } from '../../src/fhir/outcomes.js';

const doc = { resourceType: 'Patient', id: 'p', name: [{ family: 'Rivera', given: ['Ann'] }], 'a/b': { '~x': 1 } };

const statusOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof OperationOutcomeError ? err.status : -1;
  }
};

test('add, remove, replace, move, copy and test, applied in order to a copy', () => {
  const out = applyJsonPatch(doc, [
    { op: 'test', path: '/name/0/family', value: 'Rivera' },
    { op: 'replace', path: '/name/0/family', value: 'Moore' },
    { op: 'add', path: '/name/0/given/-', value: 'Beth' },
    { op: 'add', path: '/name/0/given/0', value: 'Zoe' },
    { op: 'add', path: '/gender', value: 'female' },
    { op: 'copy', from: '/name/0', path: '/name/1' },
    { op: 'move', from: '/a~1b/~0x', path: '/birthDate' },
    { op: 'remove', path: '/a~1b' },
  ]);
  expect(out).toEqual({ resourceType: 'Patient', id: 'p', name: [{ family: 'Moore', given: ['Zoe', 'Ann', 'Beth'] }, { family: 'Moore', given: ['Zoe', 'Ann', 'Beth'] }], gender: 'female', birthDate: 1 });
  expect(doc.name[0].family).toBe('Rivera');
  expect(doc['a/b']).toEqual({ '~x': 1 });
});

test('a failed test is a 422 and changes nothing; so is a path that is not there', () => {
  expect(statusOf(() => applyJsonPatch(doc, [{ op: 'test', path: '/name/0/family', value: 'Smith' }]))).toBe(422);
  expect(statusOf(() => applyJsonPatch(doc, [{ op: 'replace', path: '/gender', value: 'male' }]))).toBe(422);
  expect(statusOf(() => applyJsonPatch(doc, [{ op: 'remove', path: '/name/5' }]))).toBe(422);
  expect(statusOf(() => applyJsonPatch(doc, [{ op: 'add', path: '/name/01', value: {} }]))).toBe(422);
  expect(statusOf(() => applyJsonPatch(doc, [{ op: 'add', path: '/nothing/here', value: 1 }]))).toBe(422);
});

test('a malformed patch is a 400 naming the operation', () => {
  for (const patch of [{}, [null], [{ op: 'frobnicate', path: '/x' }], [{ op: 'add', path: 'name' }], [{ op: 'add', path: '/x' }], [{ op: 'move', path: '/x' }], [{ op: 'add', path: '/a~2', value: 1 }]]) {
    expect(statusOf(() => applyJsonPatch(doc, patch))).toBe(400);
  }
  try {
    applyJsonPatch(doc, [{ op: 'test', path: '/id', value: 'p' }, { op: 'add', path: '/x' }]);
  } catch (err) {
    expect((err as OperationOutcomeError).outcome.issue[0].diagnostics).toMatch(/^Patch operation 1 \(add \/x\)/);
  }
  expect(statusOf(() => applyJsonPatch(doc, [{ op: 'move', from: '/name', path: '/name/0/x' }]))).toBe(400);
});

test('"__proto__" in a pointer is a member like any other, never the prototype', () => {
  const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
  expect(out.polluted).toBeUndefined();
  expect(Object.keys(out)).toEqual(['__proto__']);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
