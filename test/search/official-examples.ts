/**
 * The official R4 examples (hl7.fhir.r4.examples) as test data: every example file that is not a Bundle,
 * plus the entries of the example Bundles under 1 MB (the larger ones are the definition bundles).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';

export interface Example {
  file: string;
  resource: { resourceType: string } & Record<string, unknown>;
}

const dir = new URL('../../node_modules/hl7.fhir.r4.examples/', import.meta.url);

function read(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Record<string, unknown>;
}

export function officialExamples(): Example[] {
  const examples: Example[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json') || name === 'package.json') continue;
    if (name.startsWith('Bundle-')) {
      if (statSync(new URL(name, dir)).size > 1_000_000) continue;
      const entries = (read(name).entry ?? []) as { resource?: Example['resource'] }[];
      entries.forEach((e, i) => {
        if (typeof e.resource?.resourceType === 'string') examples.push({ file: `${name}#entry[${i}]`, resource: e.resource });
      });
    } else {
      const resource = read(name);
      if (typeof resource.resourceType === 'string') examples.push({ file: name, resource: resource as Example['resource'] });
    }
  }
  return examples;
}
