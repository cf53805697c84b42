/** The meta.source formats lineage writes, and reading them back. */
import { entrySource, fileSource, jobSource, parseSource, REQUEST_ID, restSource, runId, withoutFragment, withSource } from '../../src/lineage/source-uri.js';

describe('meta.source formats', () => {
  it('names an import job, its file (encoded) and the entry or line', () => {
    expect(jobSource('j1')).toBe('urn:medgen:job:j1');
    expect(fileSource('j1', 'a b#c.json')).toBe('urn:medgen:job:j1/a%20b%23c.json');
    expect(entrySource(fileSource('j1', 'x.json'), { index: 3 })).toBe('urn:medgen:job:j1/x.json#entry-3');
    expect(entrySource(fileSource('j1', 'x.ndjson'), { line: 7 })).toBe('urn:medgen:job:j1/x.ndjson#line-7');
    expect(entrySource(fileSource('j1', 'x.json'), {})).toBe('urn:medgen:job:j1/x.json');
  });

  it('a REST source keeps the client\'s source without its fragment, else ours', () => {
    expect(restSource(undefined, 'r1')).toBe('urn:medgen:rest#request-r1');
    expect(restSource('', 'r1')).toBe('urn:medgen:rest#request-r1');
    expect(restSource(42, 'r1')).toBe('urn:medgen:rest#request-r1');
    expect(restSource('http://client.example/app#old', 'r1')).toBe('http://client.example/app#request-r1');
    expect(restSource('#only-fragment', 'r1')).toBe('urn:medgen:rest#request-r1');
    expect(withoutFragment('a#b#c')).toBe('a');
  });

  it('reads back job, file, position and request', () => {
    expect(parseSource('urn:medgen:job:j1/a%20b.json#entry-3')).toEqual({ jobId: 'j1', file: 'a b.json', position: 'entry-3' });
    expect(parseSource('urn:medgen:job:j1')).toEqual({ jobId: 'j1' });
    expect(parseSource('urn:medgen:job:j1/bad%zz')).toEqual({ jobId: 'j1', file: 'bad%zz', position: undefined });
    expect(parseSource('urn:medgen:rest#request-r1')).toEqual({ requestId: 'r1' });
    expect(parseSource('http://elsewhere.example/x')).toEqual({});
    expect(parseSource(undefined)).toEqual({});
  });

  it('sets meta.source without changing the resource or its other meta', () => {
    const p = { resourceType: 'Patient' as const, meta: { profile: ['x'] } };
    expect(withSource(p, 's')).toEqual({ resourceType: 'Patient', meta: { profile: ['x'], source: 's' } });
    expect(p.meta).toEqual({ profile: ['x'] });
  });

  it('request ids: short safe tokens; run ids are cli-, the start time in base 36 and 8 random hex digits', () => {
    expect(REQUEST_ID.test('abc-1.2_3')).toBe(true);
    expect(REQUEST_ID.test('has space')).toBe(false);
    expect(REQUEST_ID.test('x'.repeat(65))).toBe(false);
    expect(REQUEST_ID.test('a#b')).toBe(false);
    const id = runId();
    expect(id).toMatch(/^cli-[0-9a-z]{8}[0-9a-f]{8}$/);
    expect(Math.abs(parseInt(id.slice(4, 12), 36) - Date.now())).toBeLessThan(60_000);
    expect(runId()).not.toBe(id);
  });
});
