/**
 * The part of the file system the project may write: everything lives under one root (MEDGEN_DATA_DIR).
 * Paths built from request data go through `resolve`, which refuses anything that would leave the root.
 */
import path from 'node:path';
import { badRequest } from '../fhir/outcomes.js';

export class FileArea {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** An absolute path under the root; 400 when a segment is empty, absolute, or climbs out (`..`). */
  resolve(...segments: string[]): string {
    for (const segment of segments) {
      if (segment === '' || segment.includes('\0') || path.isAbsolute(segment)) {
        throw badRequest(`Invalid path segment "${segment}"`);
      }
    }
    const target = path.resolve(this.root, ...segments);
    const relative = path.relative(this.root, target);
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw badRequest(`Path "${segments.join('/')}" leaves the data directory`);
    return target;
  }
}
