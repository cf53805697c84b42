/**
 * Alias parameters (src/store/sqlite/param-aliases.ts): the SQLite store leaves out the alias rows a base row
 * repeats and searches aliases over their bases. Every answer must stay what the full rows gave, which
 * computeIndex (still producing every row) tells: checked for each alias value of the official R4 examples,
 * plus references the restriction must keep apart (an absolute URL, a Group subject).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Resource } from 'fhir/r4.js';
import { computeIndex } from '../../src/search/index-resource.js';
import type { IndexEntries, Predicate } from '../../src/search/types.js';
import { paramAliases } from '../../src/store/sqlite/param-aliases.js';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { officialExamples } from '../search/official-examples.js';
import { criterion, idSet, query } from './contract-helpers.js';

const extras = [
  { resourceType: 'Observation', id: 'abs-subject', status: 'final', code: { text: 'x' }, subject: { reference: 'http://example.org/fhir/Patient/abs' } },
  { resourceType: 'Observation', id: 'group-subject', status: 'final', code: { text: 'x' }, subject: { reference: 'Group/g-1' } },
  { resourceType: 'Observation', id: 'combo', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] }, subject: { reference: 'Patient/p-1' },
    component: [{ code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 120, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } }] },
] as unknown as Resource[];

describe('alias parameters', () => {
  it('are read off the R4 expressions: unions of other parameters and restricted references', () => {
    expect(paramAliases('Observation').get('combo-code')).toEqual(expect.arrayContaining([{ code: 'code' }, { code: 'component-code' }]));
    expect(paramAliases('Observation').get('combo-value-quantity')).toEqual(expect.arrayContaining([{ code: 'value-quantity' }, { code: 'component-value-quantity' }]));
    expect(paramAliases('Observation').get('patient')).toEqual([{ code: 'subject', targetType: 'Patient' }]);
    expect(paramAliases('Encounter').get('practitioner')).toEqual([{ code: 'participant', targetType: 'Practitioner' }]);
    for (const code of ['code', 'subject', 'value-quantity', 'component-code']) expect(paramAliases('Observation').has(code)).toBe(false);
    // AllergyIntolerance.patient is its own element, not a restriction of another parameter.
    expect(paramAliases('AllergyIntolerance').has('patient')).toBe(false);
  });
});

describe('SQLite search of alias parameters', () => {
  let dir: string;
  let store: SqliteStore;
  const entries = new Map<string, { id: string; e: IndexEntries }[]>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgen-aliases-'));
    store = createSqliteStore({ path: path.join(dir, 'aliases.sqlite') });
    const seen = new Set<string>();
    const resources = [...officialExamples().map((x) => x.resource as unknown as Resource), ...extras].filter((r) => {
      const key = `${r.resourceType}/${r.id}`;
      if (!r.id || paramAliases(r.resourceType).size === 0 || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const results = await store.write(resources.map((resource) => ({ op: 'create' as const, resource })));
    results.forEach((result, i) => {
      if (result.status !== 'created') return;
      const list = entries.get(resources[i].resourceType) ?? [];
      list.push({ id: resources[i].id!, e: computeIndex(result.resource!) });
      entries.set(resources[i].resourceType, list);
    });
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const expectSame = async (type: string, code: string, paramType: 'token' | 'reference', predicate: Predicate, has: (e: IndexEntries) => boolean) => {
    const expected = (entries.get(type) ?? []).filter((x) => has(x.e)).map((x) => x.id).sort();
    const found = await idSet(store, query(type, [criterion(code, paramType, predicate)], { count: 10_000 }));
    expect({ type, code, predicate, found }).toEqual({ type, code, predicate, found: expected });
  };

  it('token and reference aliases find exactly the resources whose full rows match', async () => {
    let checked = 0;
    for (const [type, list] of entries) {
      for (const [code] of paramAliases(type)) {
        const tokens = new Map(list.flatMap((x) => x.e.tokens.filter((t) => t.code === code).map((t) => [`${t.system}|${t.value}`, t] as const)));
        for (const t of tokens.values()) {
          const match = (e: IndexEntries) => e.tokens.some((u) => u.code === code && u.value === t.value && (u.system ?? null) === (t.system ?? null));
          await expectSame(type, code, 'token', { kind: 'token', system: t.system ?? null, value: t.value }, match);
          checked++;
        }
        const refs = new Map(list.flatMap((x) => x.e.references.filter((r) => r.code === code).map((r) => [`${r.type}/${r.id}/${r.url}`, r] as const)));
        for (const r of refs.values()) {
          const predicate: Predicate = r.url !== null ? { kind: 'reference', url: r.url } : { kind: 'reference', type: r.type!, id: r.id! };
          const match = (e: IndexEntries) => e.references.some((u) => u.code === code && u.type === r.type && u.id === r.id && u.url === r.url);
          await expectSame(type, code, 'reference', predicate, match);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it(':missing on an alias sees its bases rows', async () => {
    for (const [type, list] of entries) {
      for (const [code] of paramAliases(type)) {
        const has = (e: IndexEntries) => [...e.tokens, ...e.references, ...e.numbers, ...e.dates, ...e.strings, ...e.uris].some((x) => x.code === code);
        const present = list.filter((x) => has(x.e)).map((x) => x.id).sort();
        const paramType = code.includes('quantity') ? 'quantity' : code.includes('code') || code.includes('concept') || code.includes('reason') ? 'token' : 'reference';
        expect({ type, code, ids: await idSet(store, query(type, [criterion(code, paramType, { kind: 'missing', missing: false })], { count: 10_000 })) }).toEqual({ type, code, ids: present });
      }
    }
  });

  it('a restricted alias keeps the rows its base cannot stand for, and the repeated ones are not stored', async () => {
    const patient = (predicate: Predicate) => idSet(store, query('Observation', [criterion('patient', 'reference', predicate)]));
    expect(await patient({ kind: 'reference', url: 'http://example.org/fhir/Patient/abs' })).toEqual(['abs-subject']);
    expect(await patient({ kind: 'reference', type: 'Group', id: 'g-1' })).toEqual([]);
    expect(await patient({ kind: 'reference', type: 'Patient', id: 'p-1' })).toContain('combo');
    const db = new Database(path.join(dir, 'aliases.sqlite'), { readonly: true });
    const count = (table: string, code: string, where = '1') =>
      db.prepare(`SELECT COUNT(*) FROM ${table} x JOIN params p ON p.pid = x.pid WHERE p.type = 'Observation' AND p.code = ? AND ${where}`).pluck().get(code) as number;
    try {
      // Only absolute URLs keep a patient row: each Patient/id one is the subject row.
      expect(count('idx_ref', 'patient', 'x.url IS NULL')).toBe(0);
      expect(count('idx_ref', 'patient', "x.url = 'http://example.org/fhir/Patient/abs'")).toBe(1);
      expect(count('idx_token', 'combo-code')).toBe(0);
      expect(count('idx_number', 'combo-value-quantity')).toBe(0);
      expect(count('idx_token', 'code')).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});
