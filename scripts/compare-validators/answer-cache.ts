/**
 * The reference validator's answers, kept on disk between comparison runs: the JVM judges about 200 resources a
 * second, so a whole corpus costs a minute or more, while our validator needs a second. Work on a rule family
 * then reruns the comparison in seconds. An answer is keyed by the harness jar (its name carries a hash of the
 * harness's sources), the extension prefixes accepted unseen and the resource's exact JSON, so a changed
 * harness, option or resource is judged afresh.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Issue } from '../reference-validator.js';

export interface AnswerCache {
  get(resource: unknown): Issue[] | undefined;
  /** Remembers an answer; it reaches the disk on `save`. */
  put(resource: unknown, issues: Issue[]): void;
  save(): void;
}

export function openAnswerCache(dir: string, jar: string, extensions: string[]): AnswerCache {
  const file = path.join(dir, `${path.basename(jar, '.jar')}.ndjson`);
  const salt = `${extensions.join('\n')}\n\n`;
  const key = (resource: unknown) => createHash('sha256').update(salt).update(JSON.stringify(resource)).digest('base64url');
  const known = new Map<string, Issue[]>();
  for (const line of fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : []) {
    if (!line) continue;
    try {
      const { k, issues } = JSON.parse(line) as { k: string; issues: Issue[] };
      known.set(k, issues);
    } catch {
      // A line cut short by an interrupted run: that resource is judged again.
    }
  }
  const fresh: string[] = [];
  return {
    get: (resource) => known.get(key(resource)),
    put(resource, issues) {
      const k = key(resource);
      if (known.has(k)) return;
      known.set(k, issues);
      fresh.push(JSON.stringify({ k, issues }));
    },
    save() {
      if (fresh.length === 0) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.appendFileSync(file, `${fresh.splice(0).join('\n')}\n`);
    },
  };
}
