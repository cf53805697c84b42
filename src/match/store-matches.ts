/**
 * Matching a whole store, for `dedupe`: every live patient read once, the deterministic pairs found, the
 * blocked candidate pairs compared, the model estimated by EM on them, and each pair scored. Certain pairs
 * are grouped transitively (union-find), so a record lands in one group only; probable and possible pairs
 * that do not fall inside one group are the review list. A pair the deterministic rules found is merged when
 * its score reaches the possible threshold (the rule vouches for the rest), unless the first names are
 * unrelated; one whose score falls below is reported as contradicted, never merged.
 */
import type { Patient } from 'fhir/r4.js';
import { deterministicPairs, mergedAway, ruleKeys } from '../maintenance/duplicate-patients.js';
import type { ResourceStore } from '../store/resource-store.js';
import { candidatePairs } from './blocking.js';
import { COMPARISONS } from './comparisons.js';
import type { MatchGrade, MatchThresholds } from './match-grade.js';
import { compareCandidates, estimateModel, saveMatchModel, type MatchModel } from './match-model.js';
import { PairScorer } from './pair-scorer.js';
import { patientFeatures, type PatientFeatures } from './patient-features.js';

export interface ScoredPair {
  left: string;
  right: string;
  score: number;
  grade: MatchGrade;
  /** The deterministic rules that paired them, if any. */
  rules: string[];
  /** Each comparison's level. */
  levels: Record<string, string>;
}

export interface StoreMatches {
  patients: number;
  candidatePairs: number;
  /** Blocking keys held by too many records to compare them all. */
  skippedBlocks: number;
  model: MatchModel;
  /** Records of one person, to merge: ids sorted, with the certain pairs that joined them. */
  groups: { ids: string[]; pairs: ScoredPair[] }[];
  /** Probable and possible pairs not inside one group, best first: for a person to decide, never merged here. */
  review: ScoredPair[];
  /** Pairs the deterministic rules found but the scores contradict: not merged. */
  contradicted: ScoredPair[];
}

export interface StoreMatchOptions {
  signal?: AbortSignal;
  /** Keep the estimated model for `$match` (a dry run leaves the store as it was). */
  saveModel?: boolean;
}

const byScore = (a: ScoredPair, b: ScoredPair) => b.score - a.score || a.left.localeCompare(b.left) || a.right.localeCompare(b.right);

/**
 * The store's live patients, their candidate pairs compared, and the model EM learns from them. Each patient is
 * reduced to its features and rule keys as it streams by: 100,000 parsed Patients would hold a gigabyte.
 */
async function learn(store: ResourceStore, signal?: AbortSignal) {
  const features: PatientFeatures[] = [];
  const keys: string[][] = [];
  for await (const r of store.stream('Patient')) {
    const p = r as Patient & { id: string };
    if (mergedAway(p)) continue;
    features.push(patientFeatures(p));
    keys.push(ruleKeys(p));
  }
  signal?.throwIfAborted();
  const rules = deterministicPairs(keys);
  const pairs = candidatePairs(features, rules.map((r) => [r.left, r.right]));
  const levels = compareCandidates(features, pairs);
  signal?.throwIfAborted();
  return { features, rules, pairs, levels, model: estimateModel(features, levels) };
}

/** Estimates the store's model afresh and keeps it (what `$match` does when the store has none yet). */
export async function learnStoreModel(store: ResourceStore): Promise<MatchModel> {
  const { model } = await learn(store);
  await saveMatchModel(store, model);
  return model;
}

export async function findStoreMatches(store: ResourceStore, thresholds: MatchThresholds, options: StoreMatchOptions = {}): Promise<StoreMatches> {
  const { features, rules, pairs, levels, model } = await learn(store, options.signal);
  if (options.saveModel) await saveMatchModel(store, model);
  const scorer = new PairScorer(model, thresholds);
  const ruleReasons = new Map(rules.map((r) => [r.left < r.right ? r.left * features.length + r.right : r.right * features.length + r.left, r.reasons]));

  const parent = Int32Array.from(features, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const certain: [number, ScoredPair][] = [];
  const uncertain: [number, number, ScoredPair][] = [];
  const contradicted: ScoredPair[] = [];
  const k = COMPARISONS.length;
  for (let p = 0; p < pairs.left.length; p++) {
    const [i, j] = [pairs.left[p], pairs.right[p]];
    const s = scorer.scoreLevels(features[i], features[j], levels, p * k);
    const reasons = ruleReasons.get(i * features.length + j) ?? [];
    if (s.grade === 'certainly-not' && reasons.length === 0) continue;
    const pair: ScoredPair = { left: features[i].id, right: features[j].id, score: s.score, grade: s.grade, rules: reasons, levels: scorer.explain(levels, p * k) };
    const vouched = reasons.length > 0 && s.score >= thresholds.possible && !s.unrelatedFirstNames;
    if (s.grade === 'certain' || vouched) {
      certain.push([i, pair]);
      parent[find(i)] = find(j);
    } else {
      if (reasons.length > 0) contradicted.push(pair);
      if (s.grade !== 'certainly-not') uncertain.push([i, j, pair]);
    }
  }
  const groups = new Map<number, { ids: string[]; pairs: ScoredPair[] }>();
  for (const [i, pair] of certain) {
    const root = find(i);
    (groups.get(root) ?? groups.set(root, { ids: [], pairs: [] }).get(root)!).pairs.push(pair);
  }
  features.forEach((f, i) => groups.get(find(i))?.ids.push(f.id));
  return {
    patients: features.length,
    candidatePairs: pairs.left.length,
    skippedBlocks: pairs.skippedBlocks,
    model,
    groups: [...groups.values()].map((g) => ({ ids: g.ids.sort(), pairs: g.pairs.sort(byScore) })).sort((a, b) => a.ids[0].localeCompare(b.ids[0])),
    review: uncertain.filter(([i, j]) => find(i) !== find(j)).map(([, , pair]) => pair).sort(byScore),
    contradicted: contradicted.sort(byScore),
  };
}
