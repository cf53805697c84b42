/**
 * `Patient/$match`'s worker: the stored patients most likely to be the person a query Patient describes,
 * scored by the store's model, best first. A stored patient with the query's own id is not a match of it, nor
 * is one merged away by dedupe (its survivor is).
 *
 * The model is the one `dedupe` kept; when there is none, or the store has since grown or shrunk by more than
 * a fifth, it is learned again now (and kept): weights learned on a handful of patients would misjudge a
 * hundred thousand. That one request takes as long as the learning (some 15 s for 100,000 patients).
 * @see https://hl7.org/fhir/R4/patient-operation-match.html
 */
import type { Patient } from 'fhir/r4.js';
import type { ResourceStore, StoredResource } from '../store/resource-store.js';
import { mergedAway } from '../maintenance/duplicate-patients.js';
import { matchCandidates } from './match-candidates.js';
import type { MatchGrade, MatchThresholds } from './match-grade.js';
import { loadMatchModel, type MatchModel } from './match-model.js';
import { PairScorer } from './pair-scorer.js';
import { patientFeatures } from './patient-features.js';
import { learnStoreModel } from './store-matches.js';

export interface MatchRequest {
  thresholds: MatchThresholds;
  /** Most matches to answer. */
  count: number;
  /** Answer only a certain match, and none when several are certain (R4: "should not return the results"). */
  onlyCertainMatches: boolean;
}

export interface PatientMatch {
  resource: StoredResource;
  score: number;
  grade: MatchGrade;
}

export interface MatchAnswer {
  matches: PatientMatch[];
  /** Set when onlyCertainMatches held back several certain matches. */
  ambiguous?: number;
}

/** How far the number of patients may move from the model's before it is learned again. */
const STALE_SHARE = 0.2;

async function currentModel(store: ResourceStore): Promise<MatchModel> {
  const model = await loadMatchModel(store);
  const { total } = await store.search({ resourceType: 'Patient', criteria: [], sort: [], count: 0, offset: 0, summaryCount: true });
  if (model && Math.abs(total - model.patients) <= STALE_SHARE * Math.max(total, model.patients)) return model;
  return learnStoreModel(store);
}

export async function matchPatient(store: ResourceStore, query: Patient, request: MatchRequest): Promise<MatchAnswer> {
  const model = await currentModel(store);
  const scorer = new PairScorer(model, request.thresholds);
  const features = patientFeatures(query);
  const scored: PatientMatch[] = [];
  for (const [id, resource] of await matchCandidates(store, query, features)) {
    if (id === query.id || mergedAway(resource as Patient)) continue;
    const { score, grade } = scorer.score(features, patientFeatures(resource as Patient));
    if (grade !== 'certainly-not') scored.push({ resource, score, grade });
  }
  scored.sort((a, b) => b.score - a.score || a.resource.id.localeCompare(b.resource.id));
  if (!request.onlyCertainMatches) return { matches: scored.slice(0, request.count) };
  const certain = scored.filter((m) => m.grade === 'certain');
  return certain.length > 1 ? { matches: [], ambiguous: certain.length } : { matches: certain };
}
