/**
 * Synthea bundles from /work/shared/data/synthea as `put` ops, the way an import hands them to the store:
 * each resource gets the UUID of its `urn:uuid:` fullUrl as id, and references to those fullUrls become
 * `Type/id`, so the reference index holds the typed rows it holds after a real import.
 * `copy` > 0 suffixes every id (`-<copy>`), to write the same data again as new resources and reach a
 * database size where B-tree depth and the page cache matter.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Resource } from 'fhir/r4.js';

export const SYNTHEA_DIR = '/work/shared/data/synthea';

export type PutOp = { op: 'put'; resource: Resource & { id: string } };

interface Bundle {
  entry?: { fullUrl?: string; resource?: Resource }[];
}

/** The bundle files: every data set's patients/ and support/ folders. */
export function syntheaFiles(root = SYNTHEA_DIR): string[] {
  const files: string[] = [];
  for (const set of fs.readdirSync(root).sort()) {
    for (const folder of ['support', 'patients']) {
      const dir = path.join(root, set, folder);
      if (!fs.existsSync(dir)) continue;
      for (const name of fs.readdirSync(dir).sort()) if (name.endsWith('.json')) files.push(path.join(dir, name));
    }
  }
  return files;
}

function rewriteReferences(node: unknown, targets: Map<string, string>): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteReferences(item, targets);
  } else if (node !== null && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const value = obj[key];
      if (key === 'reference' && typeof value === 'string') obj[key] = targets.get(value) ?? value;
      else if (typeof value === 'object') rewriteReferences(value, targets);
    }
  }
}

/** Every resource of the bundles texts as put ops, ids from fullUrls (suffixed for copy > 0). */
export function syntheaOps(texts: string[], copy = 0): PutOp[] {
  const suffix = copy > 0 ? `-${copy}` : '';
  const bundles = texts.map((text) => JSON.parse(text) as Bundle);
  const targets = new Map<string, string>();
  for (const bundle of bundles) {
    for (const entry of bundle.entry ?? []) {
      if (entry.fullUrl?.startsWith('urn:uuid:') && entry.resource) {
        targets.set(entry.fullUrl, `${entry.resource.resourceType}/${entry.fullUrl.slice(9)}${suffix}`);
      }
    }
  }
  const ops: PutOp[] = [];
  for (const bundle of bundles) {
    for (const entry of bundle.entry ?? []) {
      if (!entry.resource || !entry.fullUrl?.startsWith('urn:uuid:')) continue;
      rewriteReferences(entry.resource, targets);
      ops.push({ op: 'put', resource: { ...entry.resource, id: `${entry.fullUrl.slice(9)}${suffix}` } });
    }
  }
  return ops;
}
