/**
 * A large NDJSON file for the memory check: the generator's resources repeated with fresh ids (and their
 * references moved along) until the file reaches the asked size. Run as a script
 * (`node --import tsx bench/ndjson-file.ts FILE MB`) so its memory is not counted against the importer's.
 */
import fs from 'node:fs';
import type { Resource } from 'fhir/r4.js';
import { findReferences } from '../src/fhir/references.js';
import { generatePopulation } from '../src/generate/population.js';

export async function writeNdjson(file: string, megabytes: number): Promise<number> {
  const population = generatePopulation({ count: 50, seed: 7, yearsOfHistory: 10 });
  const support = [population.hospitalInformation, population.practitionerInformation].flatMap((b) => b.entry!.map((e) => e.resource!));
  const perCopy = population.patients.flatMap((b) => b.entry!.map((e) => ({ ...e.resource!, id: e.fullUrl!.replace('urn:uuid:', '') }) as Resource));
  const typeById = new Map(perCopy.map((r) => [r.id!, r.resourceType]));
  const text = (r: Resource) => JSON.stringify(r);
  const out = fs.createWriteStream(file);
  const write = (line: string) => (out.write(line) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', r)));
  let bytes = 0;
  let count = 0;
  for (const r of support) {
    const line = `${text(r)}\n`;
    bytes += line.length;
    count++;
    await write(line);
  }
  for (let copy = 0; bytes < megabytes * 1024 * 1024; copy++) {
    const suffix = `-${copy.toString(36)}`;
    for (const r of perCopy) {
      const clone = structuredClone(r) as Resource & { id: string };
      clone.id = `${clone.id.slice(0, 50)}${suffix}`;
      for (const { holder } of findReferences(clone, clone.resourceType)) {
        const target = holder.reference.startsWith('urn:uuid:') ? holder.reference.slice(9) : undefined;
        if (target) holder.reference = `${typeById.get(target)}/${target.slice(0, 50)}${suffix}`;
      }
      const line = `${text(clone)}\n`;
      bytes += line.length;
      count++;
      await write(line);
    }
  }
  await new Promise<void>((r) => out.end(r));
  return count;
}


if (process.argv[1]?.endsWith('ndjson-file.ts')) {
  const lines = await writeNdjson(process.argv[2], Number(process.argv[3]));
  process.stdout.write(`${lines}\n`);
}
