/**
 * Where an import's units come from, as plain data: the main thread and the validation worker (ahead/)
 * each read the same input into the same units, in the same order, so results can be matched by position.
 */
import fs from 'node:fs';
import { parseJsonBody } from '../fhir/safe-json.js';
import { unitsOfDocument } from './bundle-units.js';
import { listImportFiles, unitsOfFiles } from './file-units.js';
import type { ImportUnit } from './import-types.js';
import { unitsOfNdjson } from './ndjson-units.js';

export type UnitSource =
  /** Files and folders, read in load order (file-units.ts). */
  | { kind: 'paths'; paths: string[] }
  /** A saved request body: NDJSON, or one JSON document. */
  | { kind: 'ndjson' | 'json'; path: string };

export function unitsOfSource(source: UnitSource): AsyncIterable<ImportUnit> | Iterable<ImportUnit> {
  switch (source.kind) {
    case 'paths':
      return unitsOfFiles(listImportFiles(source.paths));
    case 'ndjson':
      return unitsOfNdjson(fs.createReadStream(source.path));
    case 'json':
      return unitsOfDocument(parseJsonBody(fs.readFileSync(source.path)));
  }
}
