/**
 * Import units from files and directories: `.json` documents, `.ndjson`/`.jsonl` streams, each optionally
 * `.gz`. A directory is read recursively, Synthea's `hospitalInformation*`/`practitionerInformation*` files
 * first (patient bundles reference what they define), and NDJSON files named by type in reference order. A
 * folder's `manifest.json` is passed over: `medgen-data export` and `subset` write it beside their NDJSON to
 * describe the files, and it holds no resource, so the folder they write imports as it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { badRequest } from '../fhir/outcomes.js';
import { parseJsonBody } from '../fhir/safe-json.js';
import { unitsOfDocument } from './bundle-units.js';
import type { ImportUnit } from './import-types.js';
import { unitsOfNdjson } from './ndjson-units.js';

const JSON_FILE = /\.json(\.gz)?$/i;
const NDJSON_FILE = /\.(ndjson|jsonl)(\.gz)?$/i;
const SUPPORT_FILE = /^(hospitalInformation|practitionerInformation)/;
const EXPORT_MANIFEST = 'manifest.json';
/**
 * Load order of NDJSON files named by type (Bulk Data export style), so that a strict import finds every
 * reference's target already loaded: the types others reference first, in the order they reference one another
 * (a Practitioner before the Encounter naming it, a CareTeam before the CarePlan, an Observation before the
 * DiagnosticReport holding it as a result); the types that reference the rest last (a Claim names procedures,
 * prescriptions and diagnoses, an ExplanationOfBenefit its Claim, a Provenance any target). Other types in between,
 * by name. Alphabetical order alone failed 109 of 4,493 lines of 20 generated patients.
 */
const REFERENCED_FIRST = [
  'Organization', 'Location', 'Practitioner', 'PractitionerRole', 'Medication', 'Patient', 'RelatedPerson', 'Device',
  'Encounter', 'Condition', 'Goal', 'CareTeam', 'Observation', 'Procedure', 'Immunization', 'MedicationRequest',
];
const REFERENCING_LAST = ['Claim', 'ExplanationOfBenefit', 'Provenance'];

/** Support files, then NDJSON files of referenced types, then the rest by name, then the referencing types. */
function rank(file: string): [number, string] {
  const base = path.basename(file);
  if (SUPPORT_FILE.test(base)) return [0, file];
  const type = base.split('.')[0];
  const first = REFERENCED_FIRST.indexOf(type);
  if (first >= 0) return [1 + first, file];
  const last = REFERENCING_LAST.indexOf(type);
  return [1 + REFERENCED_FIRST.length + (last >= 0 ? 1 + last : 0), file];
}

/** The importable files of the given paths, in load order; 400 naming a path that is neither. */
export function listImportFiles(paths: string[]): string[] {
  const files: string[] = [];
  const visit = (p: string, explicit: boolean) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) throw badRequest(`No such file or directory: ${p}`);
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) if (name !== EXPORT_MANIFEST) visit(path.join(p, name), false);
    } else if (JSON_FILE.test(p) || NDJSON_FILE.test(p)) {
      files.push(p);
    } else if (explicit) {
      throw badRequest(`${p}: not a .json, .ndjson or .jsonl file (optionally .gz)`);
    }
  };
  for (const p of paths) visit(p, true);
  return files.sort((a, b) => {
    const [ra, fa] = rank(a);
    const [rb, fb] = rank(b);
    return ra - rb || fa.localeCompare(fb);
  });
}

const open = (file: string) => (file.toLowerCase().endsWith('.gz') ? fs.createReadStream(file).pipe(createGunzip()) : fs.createReadStream(file));

async function readWhole(file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await pipeline(open(file), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return Buffer.concat(chunks);
}

/** The units of one file; a file that cannot be read or parsed yields one unreadable entry naming it. */
export async function* unitsOfFile(file: string): AsyncGenerator<ImportUnit> {
  const name = path.basename(file);
  if (NDJSON_FILE.test(file)) {
    yield* unitsOfNdjson(open(file), name);
    return;
  }
  let units: ImportUnit[];
  try {
    units = [...unitsOfDocument(parseJsonBody(await readWhole(file)), name)];
  } catch (err) {
    units = [{ entries: [{ resource: undefined, file: name, unreadable: `${name}: ${err instanceof Error ? err.message : String(err)}` }], atomic: false, file: name }];
  }
  yield* units;
}

export async function* unitsOfFiles(files: string[]): AsyncGenerator<ImportUnit> {
  for (const file of files) yield* unitsOfFile(file);
}
