/**
 * Where the validation scripts find FHIR JSON: folders searched recursively, and the official R4 examples of
 * the npm package hl7.fhir.r4.examples (every file but the package's own manifest and index).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { unpack } from '../src/validation/validate-bundle.js';

/** Every `.json` file under `dir`, sorted. */
export function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? jsonFiles(full) : name.endsWith('.json') ? [full] : [];
    });
}

/** The folder of the official R4 examples package. */
export function officialExamplesDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('hl7.fhir.r4.examples/package.json'));
}

/** Every resource file of the official R4 examples package. */
export function officialExampleFiles(): string[] {
  return jsonFiles(officialExamplesDir()).filter((f) => !['package.json', '.index.json'].includes(path.basename(f)));
}

/** The resources of the files: a Bundle's entries one by one (as `validate` treats them), else the resource. */
export function* resourcesOf(files: string[]): Generator<Record<string, unknown>> {
  for (const file of files) {
    const { resources } = unpack(JSON.parse(readFileSync(file, 'utf8')));
    for (const r of resources) if (r !== null && typeof r === 'object' && !Array.isArray(r)) yield r as Record<string, unknown>;
  }
}
