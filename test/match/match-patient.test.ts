/**
 * `$match`'s worker and the model it scores with: an empty store answers nothing; the model is learned at the
 * first request and kept, used as long as the store keeps about its size, and learned again once it has grown
 * by more than a fifth; merged-away records are never answered.
 */
import { dedupePatients } from '../../src/maintenance/dedupe-patients.js';
import { DEFAULT_MATCH_THRESHOLDS } from '../../src/match/match-grade.js';
import { MATCH_MODEL_KEY, type MatchModel } from '../../src/match/match-model.js';
import { matchPatient } from '../../src/match/match-patient.js';
import { duplicateOf, person, strangers } from './corrupted-patients.js';
import { load, openSqlite, population } from './match-stores.js';

const request = { thresholds: DEFAULT_MATCH_THRESHOLDS, count: 10, onlyCertainMatches: false };
const query = () => ({ ...duplicateOf(person('p1'), 'q', ['typo:given']), id: undefined });

describe('$match worker (on SQLite; the HTTP tests run every store)', () => {
  const open = openSqlite;
  it('learns the model at the first request, keeps it while the store keeps its size, learns again when it grows', async () => {
    const { store, close } = await open();
    try {
      expect((await matchPatient(store, query(), request)).matches).toEqual([]);
      const first = (await store.getSystem<MatchModel>(MATCH_MODEL_KEY))!;
      expect(first.patients).toBe(0);

      await load(store, population());
      const answer = await matchPatient(store, query(), request);
      expect(answer.matches.slice(0, 3).map((m) => m.resource.id).sort()).toEqual(['d1', 'd2', 'p1']);
      const second = (await store.getSystem<MatchModel>(MATCH_MODEL_KEY))!;
      expect(second.patients).toBe(304);

      await load(store, strangers(320).slice(300));
      await matchPatient(store, query(), request);
      expect((await store.getSystem<MatchModel>(MATCH_MODEL_KEY))!.estimatedAt).toBe(second.estimatedAt);
    } finally {
      await close();
    }
  }, 60_000);

  it('never answers a record merged away, only its survivor', async () => {
    const { store, close } = await open();
    try {
      await load(store, population());
      await dedupePatients(store);
      const ids = (await matchPatient(store, query(), request)).matches.map((m) => m.resource.id);
      expect(ids).toContain('d1');
      expect(ids).not.toContain('p1');
      expect(ids).not.toContain('d2');
    } finally {
      await close();
    }
  }, 60_000);
});
