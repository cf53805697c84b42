/**
 * Writing a population to disk. `bundle`: Synthea's layout, `hospitalInformation<ts>.json` and
 * `practitionerInformation<ts>.json` first, then `<Given>_<Family>_<id>.json` per patient. `ndjson`: one
 * `<Type>.ndjson` per resource type (FHIR bulk data format); there is no bundle to resolve `urn:uuid:` or
 * conditional references in, so they are rewritten to `Type/id`.
 * @see https://hl7.org/fhir/uv/bulkdata/STU1/export.html#file-format
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import type { Bundle, Resource } from 'fhir/r4.js';
import { NPI_SYSTEM, SYNTHEA_ID_SYSTEM, type ProviderNetwork } from './providers.js';

export type OutputFormat = 'bundle' | 'ndjson';
export const OUTPUT_FORMATS: OutputFormat[] = ['bundle', 'ndjson'];

export interface NamedBundle {
  name: string;
  bundle: Bundle;
}

export interface Written {
  byType: Record<string, number>;
  files: string[];
}

function count(byType: Record<string, number>, bundle: Bundle): void {
  for (const e of bundle.entry ?? []) byType[e.resource!.resourceType] = (byType[e.resource!.resourceType] ?? 0) + 1;
}

export async function writeBundles(outDir: string, support: readonly [Bundle, Bundle], patients: Iterable<NamedBundle>, timestamp: number): Promise<Written> {
  await mkdir(outDir, { recursive: true });
  const byType: Record<string, number> = {};
  const files: string[] = [];
  const write = async (name: string, bundle: Bundle) => {
    await writeFile(path.join(outDir, name), JSON.stringify(bundle));
    files.push(name);
    count(byType, bundle);
  };
  await write(`hospitalInformation${timestamp}.json`, support[0]);
  await write(`practitionerInformation${timestamp}.json`, support[1]);
  for (const p of patients) await write(`${p.name.replace(/[^\w.-]+/g, '_')}.json`, p.bundle);
  return { byType, files };
}

/** Maps conditional references of the network to literal ones. */
function conditionalTargets(network: ProviderNetwork): Map<string, string> {
  const map = new Map<string, string>();
  for (const p of [...network.clinics, ...network.hospitals]) {
    map.set(`Organization?identifier=${SYNTHEA_ID_SYSTEM}|${p.orgId}`, `Organization/${p.orgId}`);
    map.set(`Location?identifier=${SYNTHEA_ID_SYSTEM}|${p.locationId}`, `Location/${p.locationId}`);
    for (const c of p.clinicians) map.set(`Practitioner?identifier=${NPI_SYSTEM}|${c.npi}`, `Practitioner/${c.id}`);
  }
  return map;
}

function rewrite(value: unknown, targets: Map<string, string>): void {
  if (Array.isArray(value)) for (const v of value) rewrite(v, targets);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'reference' && typeof v === 'string' && targets.has(v)) o[k] = targets.get(v);
      else if (typeof v === 'object') rewrite(v, targets);
    }
  }
}

export async function writeNdjson(outDir: string, support: readonly [Bundle, Bundle], patients: Iterable<NamedBundle>, network: ProviderNetwork): Promise<Written> {
  await mkdir(outDir, { recursive: true });
  const targets = conditionalTargets(network);
  const streams = new Map<string, WriteStream>();
  const byType: Record<string, number> = {};
  const files: string[] = [];
  const emit = async (bundle: Bundle) => {
    const local = new Map(targets);
    for (const e of bundle.entry ?? []) local.set(e.fullUrl!, `${e.resource!.resourceType}/${e.resource!.id}`);
    for (const e of bundle.entry ?? []) {
      const resource = e.resource as Resource;
      rewrite(resource, local);
      let stream = streams.get(resource.resourceType);
      if (!stream) {
        const file = `${resource.resourceType}.ndjson`;
        stream = createWriteStream(path.join(outDir, file));
        streams.set(resource.resourceType, stream);
        files.push(file);
      }
      if (!stream.write(`${JSON.stringify(resource)}\n`)) await once(stream, 'drain');
    }
    count(byType, bundle);
  };
  for (const b of support) await emit(b);
  for (const p of patients) await emit(p.bundle);
  await Promise.all([...streams.values()].map((s) => new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())))));
  return { byType, files };
}
